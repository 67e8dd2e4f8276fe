"""Historial de un tablero: varias capturas, qué cambió entre cada dos seguidas.

Al estilo de OCDS (entregas fechadas e inmutables fundidas en un registro que
conserva cada versión), pero pequeño: las tablas actuales salen de la captura
más reciente; ``capturas`` lista todas; ``reportados`` y ``tablero`` guardan lo
que cada captura *reportaba* (porcentaje de cada compromiso, contadores de
cabecera) para poder evaluar «a la fecha de corte»; ``cambios`` dice qué se
agregó, editó o borró entre cada dos capturas seguidas.

El tablero no tiene identificadores, así que los registros se emparejan entre
dos capturas por su contenido (ver :func:`emparejar` y docs/metodologia.md):

* compromiso: por su número («COMPROMISO N:»), que el tablero sí muestra;
* hito, dentro del mismo compromiso, en este orden: misma institución y
  descripción; misma descripción; misma institución y resultados esperados;
  misma posición. Así un hito que cambió de número (se insertó otro antes)
  sigue siendo el mismo, y uno con el texto editado también;
* avance, dentro del par de hitos emparejados: misma fecha de registro,
  descripción y porcentaje; misma fecha y descripción; misma fecha (en orden
  de aparición: resuelve dos avances con la misma hora); misma descripción
  (la fecha de registro fue editada).

Lo que queda sin pareja se agregó o se eliminó.
"""

from __future__ import annotations

import gc
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .rutas import leer_bytes
from .capturas import Captura, archivos_de, leer_captura, leer_ficha, ordenar
from .enlaces import observaciones_de_plan
from .tablero import Tablero, parsear_bytes

TIPOS_CAMBIO = (
    "avance_agregado",
    "avance_retrofechado",
    "avance_editado",
    "avance_eliminado",
    "porcentaje_reportado_cambiado",
    "plazo_modificado",
    "hito_agregado",
    "hito_eliminado",
    "texto_modificado",
    "responsable_cambiado",
)

# Campo comparado -> tipo de cambio, por registro. Mapeo como datos: añadir un
# campo vigilado es añadir una línea.
CAMPOS_COMPROMISO = {
    "porcentaje_reportado": "porcentaje_reportado_cambiado",
    "titulo": "texto_modificado",
    "descripcion": "texto_modificado",
    "responsables": "responsable_cambiado",
}
CAMPOS_HITO = {
    "institucion": "responsable_cambiado",
    "fecha_inicio": "plazo_modificado",
    "fecha_fin": "plazo_modificado",
    "descripcion": "texto_modificado",
    "resultados_esperados": "texto_modificado",
}
CAMPOS_AVANCE = ("fecha_registro", "descripcion", "porcentaje", "medios_verificacion")


@dataclass
class Historial:
    """Capturas ordenadas (la más antigua primero), la más reciente analizada y lo que cambió."""

    capturas: list[Captura]
    actual: Tablero
    cambios: list[dict] = field(default_factory=list)
    reportados: list[dict] = field(default_factory=list)  # captura, compromiso, porcentaje_reportado, linea
    contadores: list[dict] = field(default_factory=list)  # filas de «tablero» con su captura
    # Observaciones de enlaces de la carpeta del plan (``<plan>/enlaces/``, ver .enlaces):
    # todas sus filas y la procedencia (path, sha256) de cada archivo.
    enlaces: list[dict] = field(default_factory=list)
    archivos_enlaces: list[dict] = field(default_factory=list)


def _texto(valor: object) -> str:
    """Texto comparable: sin diferencias de blancos (el tablero reparte líneas al copiar)."""
    if valor is None:
        return ""
    if isinstance(valor, float):
        return repr(valor)[:-2] if repr(valor).endswith(".0") else repr(valor)
    return " ".join(str(valor).split())


def emparejar(
    anteriores: list[dict], posteriores: list[dict], claves: Iterable[Callable[[dict], object]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pares (anterior, posterior), anteriores sin pareja y posteriores sin pareja.

    Cada clave se prueba sobre lo que las anteriores dejaron libre; con clave
    repetida se emparejan en orden de aparición. Una clave que devuelve None o
    vacío no empareja nada.
    """
    claves = tuple(claves)
    # Lo más común entre dos capturas: la misma lista, en el mismo orden. Se
    # comprueba con la primera clave antes de armar colas.
    if len(anteriores) == len(posteriores) and all(
        claves[0](a) == claves[0](p) for a, p in zip(anteriores, posteriores)
    ):
        return list(zip(anteriores, posteriores)), [], []
    libres_a = list(anteriores)
    libres_p = list(posteriores)
    pares: list[tuple[dict, dict]] = []
    for clave in claves:
        colas: dict[object, deque] = defaultdict(deque)
        for a in libres_a:
            k = clave(a)
            if k:
                colas[k].append(a)
        usados: set[int] = set()
        quedan_p = []
        for p in libres_p:
            k = clave(p)
            cola = colas.get(k) if k else None
            if cola:
                a = cola.popleft()
                usados.add(id(a))
                pares.append((a, p))
            else:
                quedan_p.append(p)
        libres_a = [a for a in libres_a if id(a) not in usados]
        libres_p = quedan_p
    return pares, libres_a, libres_p


# La primera clave de cada lista compara los textos tal cual (sin normalizar
# blancos): es el caso de casi todos los registros y evita normalizar textos
# largos; las siguientes normalizan solo lo que quedó sin pareja.
_CLAVES_HITO = (
    lambda h: (h.get("institucion"), h.get("descripcion")),
    lambda h: (_texto(h.get("institucion")), _texto(h.get("descripcion"))),
    lambda h: _texto(h.get("descripcion")),
    lambda h: (_texto(h.get("institucion")), _texto(h.get("resultados_esperados"))) if h.get("resultados_esperados") else None,
    lambda h: h["numero"],
)
_CLAVES_AVANCE = (
    lambda a: (a["fecha_registro"], a.get("descripcion"), a.get("porcentaje")),
    lambda a: (a["fecha_registro"], _texto(a.get("descripcion")), a.get("porcentaje")),
    lambda a: (a["fecha_registro"], _texto(a.get("descripcion"))),
    lambda a: a["fecha_registro"],
    lambda a: _texto(a.get("descripcion")),
)


@dataclass
class _Vistas:
    """Captura en que se vio por primera vez cada registro de una captura, por su clave en ella."""

    compromisos: dict[int, int] = field(default_factory=dict)
    hitos: dict[str, int] = field(default_factory=dict)
    avances: dict[str, int] = field(default_factory=dict)


def comparar(anterior: Tablero, posterior: Tablero, n_anterior: int, n_posterior: int,
             captura_anterior: Captura, vistas: _Vistas) -> tuple[list[dict], _Vistas]:
    """Cambios de ``anterior`` a ``posterior`` y, para cada registro de ``posterior``, su primera captura."""
    cambios: list[dict] = []
    nuevas = _Vistas()
    # Un avance que aparece con fecha de registro anterior al momento de la
    # captura previa debió verse en ella: se agregó con fecha atrasada. Si solo
    # se sabe que la captura previa es posterior a cierto momento, ese momento
    # sirve igual (lo registrado antes también es anterior a la captura).
    limite = captura_anterior.reloj_minimo
    limite_iso = limite.isoformat() if limite is not None else None

    def fila(tipo, compromiso, hito_id, campo="", antes=None, despues=None, linea_a=None, linea_p=None):
        cambios.append({
            "tipo": tipo, "compromiso": compromiso, "hito_id": hito_id,
            "captura_anterior": n_anterior, "captura_posterior": n_posterior, "campo": campo,
            "valor_anterior": _texto(antes) if antes is not None else "",
            "valor_posterior": _texto(despues) if despues is not None else "",
            "linea_anterior": linea_a, "linea_posterior": linea_p,
        })

    hitos_a, hitos_p = _por(anterior.hitos, "compromiso"), _por(posterior.hitos, "compromiso")
    avances_a, avances_p = _por(anterior.avances, "hito_id"), _por(posterior.avances, "hito_id")
    compromisos_a = {c["compromiso"]: c for c in anterior.compromisos}
    compromisos_p = {c["compromiso"]: c for c in posterior.compromisos}

    def avance_nuevo(a: dict, c: int, hito_id: str) -> None:
        retro = limite_iso is not None and a["fecha_registro"] <= limite_iso
        fila("avance_retrofechado" if retro else "avance_agregado", c, hito_id, "fecha_registro",
             None, a["fecha_registro"], None, a["linea"])
        nuevas.avances[a["avance_id"]] = n_posterior

    def avance_borrado(a: dict, c: int, hito_id: str) -> None:
        fila("avance_eliminado", c, hito_id, "fecha_registro", a["fecha_registro"], None, a["linea"], None)

    for numero in sorted(compromisos_a.keys() | compromisos_p.keys()):
        ca, cp = compromisos_a.get(numero), compromisos_p.get(numero)
        if cp is not None:
            nuevas.compromisos[numero] = vistas.compromisos.get(numero, n_anterior) if ca is not None else n_posterior
        if ca is not None and cp is not None:
            for campo, tipo in CAMPOS_COMPROMISO.items():
                if ca.get(campo) != cp.get(campo) and _texto(ca.get(campo)) != _texto(cp.get(campo)):
                    fila(tipo, numero, "", campo, ca.get(campo), cp.get(campo), ca["linea"], cp["linea"])
        pares, borrados, agregados = emparejar(hitos_a.get(numero, []), hitos_p.get(numero, []), _CLAVES_HITO)
        pareja_de = {id(p): a for a, p in pares}
        for hp in hitos_p.get(numero, []):
            ha = pareja_de.get(id(hp))
            hid = hp["hito_id"]
            if ha is None:
                fila("hito_agregado", numero, hid, "descripcion", None, hp.get("descripcion", ""), None, hp["linea"])
                nuevas.hitos[hid] = n_posterior
                for a in avances_p.get(hid, []):
                    avance_nuevo(a, numero, hid)
                continue
            nuevas.hitos[hid] = vistas.hitos.get(ha["hito_id"], n_anterior)
            for campo, tipo in CAMPOS_HITO.items():
                if ha.get(campo) != hp.get(campo) and _texto(ha.get(campo)) != _texto(hp.get(campo)):
                    fila(tipo, numero, hid, campo, ha.get(campo), hp.get(campo), ha["linea"], hp["linea"])
            pares_av, borrados_av, _ = emparejar(avances_a.get(ha["hito_id"], []), avances_p.get(hid, []), _CLAVES_AVANCE)
            pareja_av = {id(p): a for a, p in pares_av}
            for ap in avances_p.get(hid, []):
                aa = pareja_av.get(id(ap))
                if aa is None:
                    avance_nuevo(ap, numero, hid)
                    continue
                nuevas.avances[ap["avance_id"]] = vistas.avances.get(aa["avance_id"], n_anterior)
                for campo in CAMPOS_AVANCE:
                    if aa.get(campo) != ap.get(campo) and _texto(aa.get(campo)) != _texto(ap.get(campo)):
                        fila("avance_editado", numero, hid, campo, aa.get(campo), ap.get(campo), aa["linea"], ap["linea"])
            for aa in borrados_av:
                avance_borrado(aa, numero, hid)
        for ha in borrados:
            fila("hito_eliminado", numero, ha["hito_id"], "descripcion", ha.get("descripcion", ""), None, ha["linea"], None)
            for aa in avances_a.get(ha["hito_id"], []):
                avance_borrado(aa, numero, ha["hito_id"])
    return cambios, nuevas


def _por(filas: list[dict], clave: str) -> dict[object, list[dict]]:
    grupos: dict[object, list[dict]] = defaultdict(list)
    for f in filas:
        grupos[f[clave]].append(f)
    return grupos


def _reportado(t: Tablero, n: int) -> tuple[list[dict], list[dict]]:
    reportados = [
        {"captura": n, "compromiso": c["compromiso"], "porcentaje_reportado": c.get("porcentaje_reportado"), "linea": c["linea"]}
        for c in t.compromisos
    ]
    return reportados, [{"captura": n, **fila} for fila in t.tablero]


def historial_de(entradas: list[str | Path]) -> Historial:
    """Analiza una captura suelta, una carpeta de plan o varias capturas.

    Con una carpeta o varios archivos, cada captura necesita su ficha con fecha
    (o fecha mínima); todas se validan antes de leer ningún texto, para que un
    error de ficha salga enseguida. Solo se guardan en memoria la captura
    anterior y la actual: 20 capturas de un tablero grande caben.
    """
    # Como en tablero.parsear_texto: cientos de miles de registros sin ciclos
    # que el recolector de ciclos recorrería una y otra vez sin liberar nada.
    recolector = gc.isenabled()
    gc.disable()
    try:
        return _historial_de(entradas)
    finally:
        if recolector:
            gc.enable()


def _historial_de(entradas: list[str | Path]) -> Historial:
    archivos, serie = archivos_de(entradas)
    fichas = ordenar([leer_ficha(a, exigir_procedencia=serie) for a in archivos])
    # Las observaciones de enlaces se validan también antes de leer las capturas.
    enlaces: list[dict] = []
    archivos_enlaces: list[dict] = []
    for carpeta in (Path(e) for e in entradas):
        if carpeta.is_dir():  # solo una carpeta de plan lleva observaciones de enlaces
            filas, de_carpeta = observaciones_de_plan(carpeta)
            enlaces += filas
            archivos_enlaces += de_carpeta
    capturas: list[Captura] = []
    cambios: list[dict] = []
    reportados: list[dict] = []
    contadores: list[dict] = []
    previo: Tablero | None = None
    vistas = _Vistas()
    for n, ficha in enumerate(fichas, start=1):
        actual = parsear_bytes(leer_bytes(ficha.archivo), str(ficha.archivo))
        captura = leer_captura(ficha.archivo, serie, sha256=actual.sha256)
        capturas.append(captura)
        r, c = _reportado(actual, n)
        reportados += r
        contadores += c
        if previo is None:
            vistas = _Vistas(
                {c["compromiso"]: n for c in actual.compromisos},
                {h["hito_id"]: n for h in actual.hitos},
                {a["avance_id"]: n for a in actual.avances},
            )
        else:
            nuevos, vistas = comparar(previo, actual, n - 1, n, capturas[-2], vistas)
            cambios += nuevos
        previo = actual
    assert previo is not None  # archivos_de nunca devuelve una lista vacía
    ultima = len(capturas)
    for tabla, clave, primeras in (
        (previo.compromisos, "compromiso", vistas.compromisos),
        (previo.hitos, "hito_id", vistas.hitos),
        (previo.avances, "avance_id", vistas.avances),
    ):
        for registro in tabla:
            registro["captura_primera"] = primeras[registro[clave]]
            registro["captura_ultima"] = ultima
    return Historial(
        capturas=capturas, actual=previo, cambios=cambios, reportados=reportados, contadores=contadores,
        enlaces=enlaces, archivos_enlaces=archivos_enlaces,
    )


def historial_de_tablero(t: Tablero, captura: Captura | None = None) -> Historial:
    """Un tablero ya analizado como historial de una sola captura (fecha desconocida si no se da)."""
    captura = captura or Captura(archivo=Path(t.archivo), sha256=t.sha256)
    for tabla in (t.compromisos, t.hitos, t.avances):
        for registro in tabla:
            registro["captura_primera"] = registro["captura_ultima"] = 1
    reportados, contadores = _reportado(t, 1)
    return Historial(capturas=[captura], actual=t, reportados=reportados, contadores=contadores)
