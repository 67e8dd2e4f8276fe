"""Alertas de calidad de los datos y de coherencia del tablero.

Cada alerta es una fila de ``alertas.csv`` con ``tipo, compromiso, hito_id,
avance_id, linea, detalle``: ``linea`` es la línea del archivo crudo donde
empieza el registro señalado, para que quien revisa vaya directo al texto. Las
filas se ordenan por línea, tipo, avance y detalle: el orden es estable y sigue
el del archivo.

Las alertas que dependen de los avances se calculan con lo registrado hasta
el corte, igual que las métricas. Tipos:

``contadores_no_cuadran``
    un contador de la cabecera no coincide con lo que dicen los datos del
    mismo tablero (ver :func:`comparar_contadores`). Los contadores se anidan:
    no iniciados + iniciados = todos los hitos, y los completados son parte de
    los iniciados. Se comparan con todo lo capturado (la cabecera describe la
    misma captura, no el corte del informe): no iniciados frente a hitos sin
    ninguna actualización, completados frente a hitos al 100 % con el
    criterio elegido, y no iniciados + iniciados frente al número de hitos;
``hito_sin_fechas``
    el hito no tiene fecha de inicio, de fin o ninguna;
``avance_duplicado``
    la descripción es idéntica (sin contar mayúsculas ni espacios) a la de un
    avance anterior del mismo hito;
``avance_casi_duplicado``
    similitud ≥ :data:`UMBRAL_SIMILITUD` con un avance anterior del mismo hito
    y las mismas fechas mencionadas. La similitud es 2·LCS / (largo₁ + largo₂),
    con LCS la subsecuencia común más larga de caracteres (la distancia «Indel»
    de rapidfuzz, calculada en C). La condición de las fechas
    evita señalar plantillas reutilizadas para hechos distintos: el hito 4.1
    registra una reunión por avance con el mismo texto y otra fecha;
``retroceso``
    el porcentaje baja respecto del avance registrado justo antes (si la serie
    del hito se lee como incremental, el detalle lo dice: con esa lectura no es
    un retroceso);
``orden_registro``
    un avance figura después de otro en la lista pero se registró antes;
``fuera_de_plazo``
    el avance se registró antes del inicio o después del fin del hito;
``porcentaje_difiere``
    el porcentaje reportado del compromiso se aparta del calculado más de
    :data:`TOLERANCIA_PORCENTAJE` puntos;
``serie_no_ajusta``
    la serie de porcentajes del hito no encaja con el criterio elegido (ver
    :mod:`analisis.metricas`);
``avance_sin_porcentaje``
    el avance no declara porcentaje;
``fecha_evento_posterior``
    la descripción menciona un hecho con fecha posterior al registro (ver
    :mod:`analisis.rezago`);
``no_visto_al_corte``
    el avance cuenta al corte (se registró antes) pero ninguna captura tomada
    hasta el corte lo mostraba: se conoce por una captura posterior (ver
    :mod:`analisis.evaluacion.reportado`);
``enlace_roto``
    un enlace de evidencia de un avance que cuenta al corte estaba roto (el
    servidor respondió 4xx o 5xx, o la dirección no era válida) en su última
    comprobación hecha hasta el corte (ver :mod:`analisis.evaluacion.enlaces`).
    Un enlace sin respuesta o sin comprobar no da alerta: sin conexión no se
    sabe nada del enlace.

Los contadores de la cabecera se comparan con los hitos de la misma captura,
la más reciente; el porcentaje reportado, con el de la captura observada al
corte (``porcentaje_difiere`` no se da si ninguna lo observaba).
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel

from .criterios import nombre_criterio
from .enlaces import enlaces_al_corte, texto_comprobacion
from .metricas import (
    CRITERIO_POR_DEFECTO,
    ESTADO_COMPLETADO,
    TIPO_INCREMENTAL,
    metricas_compromisos,
    metricas_hitos,
    ordenar_por_registro,
    resumir_serie,
    validar_criterio,
)
from .periodos import como_fecha, avances_al_corte
from .reportado import avances_no_vistos, observacion_al_corte, reportados_al_corte
from .rezago import ANIO_EN_CURSO, extraer_fechas, menciones_fechas

COLUMNAS_ALERTAS = ["tipo", "compromiso", "hito_id", "avance_id", "linea", "detalle"]

# Umbral de similitud para «casi duplicado». 0.9 separa en el tablero real las
# correcciones de un mismo texto (3.1.3 «Cnmplimiento al Compromise)» frente a
# 3.1.4 «Cumplimiento al Compromiso»: 0.99) de los textos que solo comparten
# estructura (3.3.2 y 3.3.3, dos reuniones distintas: 0.85). En el tablero real
# ningún par cambia de lado respecto de la razón de difflib que se usaba antes.
UMBRAL_SIMILITUD = 0.9

# Puntos porcentuales de holgura entre el porcentaje reportado y el calculado.
# El tablero publica dos decimales y algunas instituciones redondean a enteros;
# medio punto absorbe esos redondeos y cualquier diferencia real es mayor.
TOLERANCIA_PORCENTAJE = 0.5

def _num(valor: float) -> str:
    """Número para un mensaje: 12.5, 8.34, 100 (sin ceros de relleno)."""
    return f"{float(valor):.10g}"


def _fecha_hora(valor) -> str:
    return pd.Timestamp(valor).strftime("%Y-%m-%d %H:%M:%S")


def _dia(valor) -> str:
    return pd.Timestamp(valor).strftime("%Y-%m-%d")


def _alerta(tipo: str, detalle: str, linea, compromiso=None, hito_id: str = "", avance_id: str = "") -> dict:
    return {
        "tipo": tipo,
        "compromiso": compromiso,
        "hito_id": hito_id,
        "avance_id": avance_id,
        "linea": linea,
        "detalle": detalle,
    }


def _texto_comparable(texto) -> str:
    return re.sub(r"\s+", " ", str(texto or "")).strip().casefold()


# --- alertas individuales ---------------------------------------------------------------


@dataclass(frozen=True)
class ComparacionContador:
    """Un contador de la cabecera frente a su equivalente recalculado de los datos."""

    indicador: str  # qué dice la cabecera
    equivalente: str  # con qué se compara
    tablero: int | None  # None si la cabecera no lo trae
    datos: int
    alerta: str  # plantilla del detalle si no coinciden ("" = no se alerta)

    @property
    def cuadra(self) -> bool:
        return self.tablero is None or self.tablero == self.datos


def comparar_contadores(tablero: pd.DataFrame, hitos: pd.DataFrame, avances: pd.DataFrame, criterio: str) -> list[ComparacionContador]:
    """Contadores de la cabecera frente a los datos de toda la captura (lista vacía sin cabecera).

    Los contadores se anidan (no iniciados + iniciados = hitos; completados ⊂
    iniciados), así que no se suman los tres. Se usan todos los avances
    capturados, sin corte: la cabecera y los avances son la misma foto del tablero.
    """
    if tablero.empty:
        return []
    fila = tablero.iloc[0]

    def contador(columna: str) -> int | None:
        valor = fila.get(columna)
        return None if valor is None or pd.isna(valor) else int(valor)

    no_iniciados, iniciados, completados = (
        contador("hitos_no_iniciados"), contador("hitos_iniciados"), contador("hitos_completados")
    )
    if avances.empty:
        estados = metricas_hitos(hitos, avances, date(1970, 1, 1), criterio)
    else:
        ultimo = pd.Timestamp(avances["fecha_registro"].max()).date()
        estados = metricas_hitos(hitos, avances, ultimo, criterio)
    sin_actualizar = int((estados["avances"] == 0).sum())
    al_cien = int((estados["estado"] == ESTADO_COMPLETADO).sum())
    suma = None if no_iniciados is None or iniciados is None else no_iniciados + iniciados
    return [
        ComparacionContador(
            "Hitos no iniciados", "hitos sin ninguna actualización", no_iniciados, sin_actualizar,
            "la cabecera dice {tablero} hitos no iniciados y {datos} hitos no tienen ninguna actualización en los datos",
        ),
        ComparacionContador(
            "Hitos iniciados", "hitos con alguna actualización", iniciados, len(estados) - sin_actualizar, "",
        ),
        ComparacionContador(
            "Hitos completados (parte de los iniciados)", f"hitos al 100 % (criterio «{nombre_criterio(criterio)}»)",
            completados, al_cien,
            "la cabecera dice {tablero} hitos completados y {datos} hitos llegan al 100 % "
            f"con el criterio «{nombre_criterio(criterio)}»",
        ),
        ComparacionContador(
            "Total de hitos (no iniciados + iniciados)", "hitos en los datos", suma, len(hitos),
            "los contadores no iniciados + iniciados de la cabecera suman {tablero} hitos y los datos tienen {datos}",
        ),
    ]


def alertas_contadores(tablero: pd.DataFrame, hitos: pd.DataFrame, avances: pd.DataFrame, criterio: str) -> list[dict]:
    """Una alerta por contador de la cabecera que los datos desmienten (ver :func:`comparar_contadores`)."""
    if tablero.empty:
        return []
    linea = tablero.iloc[0]["linea"]
    return [
        _alerta("contadores_no_cuadran", c.alerta.format(tablero=c.tablero, datos=c.datos), linea)
        for c in comparar_contadores(tablero, hitos, avances, criterio)
        if c.alerta and not c.cuadra
    ]


def alertas_hitos_sin_fechas(hitos: pd.DataFrame) -> list[dict]:
    alertas = []
    for h in hitos.itertuples(index=False):
        falta_inicio, falta_fin = pd.isna(h.fecha_inicio), pd.isna(h.fecha_fin)
        if not (falta_inicio or falta_fin):
            continue
        if falta_inicio and falta_fin:
            detalle = "el hito no tiene fecha de inicio ni de fin: no se puede saber si está vencido"
        elif falta_inicio:
            detalle = "el hito no tiene fecha de inicio"
        else:
            detalle = "el hito no tiene fecha de fin: no se puede saber si está vencido"
        alertas.append(_alerta("hito_sin_fechas", detalle, h.linea, h.compromiso, h.hito_id))
    return alertas


def _fechas_mencionadas(avance) -> frozenset:
    return frozenset(m.fecha for m in extraer_fechas(avance["descripcion"], avance["fecha_registro"]))


def _por_hito(avances: pd.DataFrame, orden: list[str]) -> dict[str, list[dict]]:
    """Las filas de ``avances`` (ordenadas por ``orden``, si se da) agrupadas por hito, hitos en orden.

    Un solo ``to_dict`` para toda la tabla: hacerlo grupo por grupo cuesta
    tanto como el resto de la alerta en un plan grande.
    """
    grupos: dict[str, list[dict]] = {}
    if orden:
        avances = avances.sort_values(orden, kind="mergesort")
    for fila in avances.to_dict("records"):
        grupos.setdefault(fila["hito_id"], []).append(fila)
    return dict(sorted(grupos.items()))


# --- índice de casi duplicados --------------------------------------------------------------
#
# Comparar cada avance con todos los anteriores del hito cuesta el cuadrado de
# los avances del hito: 50 copias de cada avance multiplican el tiempo por
# 2 500. En su lugar, cada descripción recibe una firma MinHash de sus
# trigramas de caracteres, partida en bandas de dos valores; dos textos con
# similitud ≥ 0.9 comparten casi todos sus trigramas y, con 20 bandas, en la
# práctica siempre alguna banda. Solo se miden los anteriores que comparten una
# banda y las mismas fechas mencionadas, y de ellos los de firma más parecida:
# cada avance cuesta lo mismo sea cual sea el tamaño del hito. Las firmas no
# usan ``hash()`` (cambia entre procesos): el resultado es siempre el mismo.
_TEJA = 3
_BANDAS = 20
_FILAS = 2
_PRIMO = (1 << 31) - 1
# Avances que guarda cada cubeta: los primeros (el original de una serie de
# copias) y los más recientes.
_POR_CUBETA = 8
# Candidatos, los de firma más parecida, cuya similitud se mide.
_CANDIDATOS = 16


def _coeficientes(semilla: str) -> np.ndarray:
    valores = [
        int.from_bytes(hashlib.sha256(f"{semilla}{i}".encode()).digest()[:8], "big") % (_PRIMO - 1) + 1
        for i in range(_BANDAS * _FILAS)
    ]
    return np.array(valores, dtype=np.uint64)


_A = _coeficientes("a")
_B = _coeficientes("b")


def _firma(texto: str) -> np.ndarray:
    """MinHash de los trigramas de caracteres de ``texto`` (``_BANDAS × _FILAS`` valores)."""
    c = np.frombuffer(texto.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(c) < _TEJA:
        c = np.concatenate([c, np.zeros(_TEJA - len(c), dtype=np.uint64)])
    n = len(c) - _TEJA + 1
    tejas = np.zeros(n, dtype=np.uint64)
    for k in range(_TEJA):
        # Los puntos de código caben en 21 bits: el valor nunca pasa de 2**52.
        tejas = (tejas * np.uint64(1 << 21) + c[k : k + n]) % np.uint64(_PRIMO)
    # Los trigramas repetidos no cambian el mínimo: no hace falta quitarlos.
    return ((tejas[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIMO)).min(axis=1)


class _Indice:
    """Descripciones ya vistas de un hito, en cubetas por fechas mencionadas y banda de la firma."""

    def __init__(self) -> None:
        self.firmas: dict[int, np.ndarray] = {}
        self.cubetas: dict[tuple, tuple[list[int], deque]] = {}

    @staticmethod
    def _claves(fechas: frozenset, firma: np.ndarray) -> list[tuple]:
        valores = firma.tolist()
        return [(fechas, b, *valores[b * _FILAS : (b + 1) * _FILAS]) for b in range(_BANDAS)]

    def candidatos(self, fechas: frozenset, firma: np.ndarray) -> list[int]:
        """Anteriores con las mismas fechas que comparten una banda, los más parecidos, en orden de lista."""
        vistos: set[int] = set()
        for clave in self._claves(fechas, firma):
            cubeta = self.cubetas.get(clave)
            if cubeta is not None:
                vistos.update(cubeta[0])
                vistos.update(cubeta[1])
        if len(vistos) > _CANDIDATOS:
            orden = sorted(vistos)
            iguales = (np.stack([self.firmas[i] for i in orden]) == firma).sum(axis=1)
            # Más valores iguales primero; a igualdad, el primero listado.
            elegidos = sorted(range(len(orden)), key=lambda k: (-int(iguales[k]), orden[k]))[:_CANDIDATOS]
            vistos = {orden[k] for k in elegidos}
        return sorted(vistos)

    def agregar(self, indice: int, fechas: frozenset, firma: np.ndarray) -> None:
        self.firmas[indice] = firma
        for clave in self._claves(fechas, firma):
            primeros, recientes = self.cubetas.setdefault(clave, ([], deque(maxlen=_POR_CUBETA)))
            if len(primeros) < _POR_CUBETA:
                primeros.append(indice)
            else:
                recientes.append(indice)


def similitud(a: str, b: str) -> float:
    """2·LCS / (largo de ``a`` + largo de ``b``): 1 si son iguales, 0 si no comparten ningún carácter."""
    return Indel.normalized_similarity(a, b)


def alertas_duplicados(avances: pd.DataFrame, compromiso_de: dict[str, int]) -> list[dict]:
    """Avances con la misma descripción, o casi, que uno anterior (en la lista) del mismo hito.

    Cada avance se señala una sola vez: contra el primero idéntico o, si no lo
    hay, contra el más parecido de los candidatos del índice (a igual
    similitud, el primero listado). Los idénticos se hallan con un diccionario.
    """
    alertas = []
    for hito_id, filas in _por_hito(avances, ["hito_id", "numero"]).items():
        primero_con: dict[str, int] = {}
        textos: dict[int, str] = {}
        indice = _Indice()
        for j, actual in enumerate(filas):
            texto = _texto_comparable(actual["descripcion"])
            if not texto:
                continue
            identico = primero_con.setdefault(texto, j)
            if identico != j:
                previo = filas[identico]
                alertas.append(
                    _alerta(
                        "avance_duplicado",
                        f"descripción idéntica a la del avance {previo['avance_id']} "
                        f"(porcentajes {_pct(previo['porcentaje'])} y {_pct(actual['porcentaje'])})",
                        actual["linea"],
                        compromiso_de.get(hito_id),
                        hito_id,
                        actual["avance_id"],
                    )
                )
                continue
            textos[j] = texto
            fechas, firma = _fechas_mencionadas(actual), _firma(texto)
            mejor, maxima = None, 0.0
            for i in indice.candidatos(fechas, firma):
                razon = similitud(textos[i], texto)
                if razon >= UMBRAL_SIMILITUD and razon > maxima:
                    mejor, maxima = i, razon
            indice.agregar(j, fechas, firma)
            if mejor is not None:
                previo = filas[mejor]
                alertas.append(
                    _alerta(
                        "avance_casi_duplicado",
                        f"descripción casi idéntica (similitud {maxima:.2f}) a la del avance {previo['avance_id']} "
                        f"(porcentajes {_pct(previo['porcentaje'])} y {_pct(actual['porcentaje'])})",
                        actual["linea"],
                        compromiso_de.get(hito_id),
                        hito_id,
                        actual["avance_id"],
                    )
                )
    return alertas


def _pct(valor) -> str:
    return "sin porcentaje" if pd.isna(valor) else f"{_num(valor)} %"


def alertas_retroceso(
    avances: pd.DataFrame, compromiso_de: dict[str, int], incrementales: frozenset[str] = frozenset()
) -> list[dict]:
    """Porcentajes que bajan respecto del avance con porcentaje registrado justo antes.

    En un hito de ``incrementales`` (su serie se lee como incremental) la
    alerta se da igual, porque una serie acumulada corregida a la baja se
    clasifica también así, pero dice que con esa lectura bajar no es retroceder.
    """
    alertas = []
    con_porcentaje = ordenar_por_registro(avances[avances["porcentaje"].notna()])
    for hito_id, filas in _por_hito(con_porcentaje, []).items():
        for previo, actual in zip(filas, filas[1:]):
            if actual["porcentaje"] < previo["porcentaje"]:
                alertas.append(
                    _alerta(
                        "retroceso",
                        f"el porcentaje declarado baja de {_pct(previo['porcentaje'])} ({previo['avance_id']}, "
                        f"{_fecha_hora(previo['fecha_registro'])}) a {_pct(actual['porcentaje'])} "
                        f"({actual['avance_id']}, {_fecha_hora(actual['fecha_registro'])})"
                        + (
                            "; la serie del hito se lee como incremental: si cada porcentaje es lo que aporta "
                            "una actividad, no es un retroceso"
                            if hito_id in incrementales
                            else ""
                        ),
                        actual["linea"],
                        compromiso_de.get(hito_id),
                        hito_id,
                        actual["avance_id"],
                    )
                )
    return alertas


def alertas_orden_registro(avances: pd.DataFrame, compromiso_de: dict[str, int]) -> list[dict]:
    """Avances listados después de otro pero registrados antes que él."""
    alertas = []
    for hito_id, filas in _por_hito(avances, ["hito_id", "numero"]).items():
        for previo, actual in zip(filas, filas[1:]):
            if actual["fecha_registro"] < previo["fecha_registro"]:
                alertas.append(
                    _alerta(
                        "orden_registro",
                        f"el avance {actual['avance_id']} figura después de {previo['avance_id']} pero se registró "
                        f"antes ({_fecha_hora(actual['fecha_registro'])} frente a {_fecha_hora(previo['fecha_registro'])})",
                        actual["linea"],
                        compromiso_de.get(hito_id),
                        hito_id,
                        actual["avance_id"],
                    )
                )
    return alertas


def alertas_fuera_de_plazo(hitos: pd.DataFrame, avances: pd.DataFrame) -> list[dict]:
    """Avances registrados fuera de ``[fecha_inicio, fecha_fin]`` del hito (días completos)."""
    alertas = []
    datos = {h["hito_id"]: h for h in hitos.to_dict("records")}
    for a in avances.sort_values("linea", kind="mergesort").to_dict("records"):
        h = datos.get(a["hito_id"])
        if h is None:
            continue
        dia = pd.Timestamp(a["fecha_registro"]).normalize()
        if not pd.isna(h["fecha_inicio"]) and dia < pd.Timestamp(h["fecha_inicio"]):
            detalle = f"registrado el {_dia(dia)}, antes del inicio del hito ({_dia(h['fecha_inicio'])})"
        elif not pd.isna(h["fecha_fin"]) and dia > pd.Timestamp(h["fecha_fin"]):
            detalle = f"registrado el {_dia(dia)}, después del fin del hito ({_dia(h['fecha_fin'])})"
        else:
            continue
        alertas.append(_alerta("fuera_de_plazo", detalle, a["linea"], h["compromiso"], a["hito_id"], a["avance_id"]))
    return alertas


def alertas_porcentaje_reportado(
    compromisos: pd.DataFrame, compromisos_metricas: pd.DataFrame, criterio: str
) -> list[dict]:
    """Compromisos cuyo porcentaje reportado se aparta del calculado más que la tolerancia."""
    alertas = []
    lineas = dict(zip(compromisos["compromiso"], compromisos["linea"]))
    for c in compromisos_metricas.itertuples(index=False):
        if pd.isna(c.porcentaje_reportado) or pd.isna(c.avance_calculado):
            continue
        if abs(c.diferencia) > TOLERANCIA_PORCENTAJE:
            alertas.append(
                _alerta(
                    "porcentaje_difiere",
                    f"el tablero reporta {_num(c.porcentaje_reportado)} % y sus hitos dan "
                    f"{_num(round(c.avance_calculado, 2))} % con el criterio «{nombre_criterio(criterio)}» "
                    f"(diferencia {_num(round(c.diferencia, 2))} puntos; tolerancia {_num(TOLERANCIA_PORCENTAJE)})",
                    lineas.get(c.compromiso),
                    c.compromiso,
                )
            )
    return alertas


def alertas_series(avances: pd.DataFrame, hitos_metricas: pd.DataFrame, criterio: str) -> list[dict]:
    """Hitos cuya serie de porcentajes no encaja con el criterio (``serie_ajusta`` falso)."""
    alertas = []
    porcentajes = dict(tuple(ordenar_por_registro(avances).groupby("hito_id", sort=False)["porcentaje"]))
    vacia = avances["porcentaje"].iloc[0:0]
    for h in hitos_metricas[~hitos_metricas["serie_ajusta"]].itertuples(index=False):
        resumen = resumir_serie(porcentajes.get(h.hito_id, vacia))
        valores = ", ".join(_num(v) for v in resumen.valores)
        alertas.append(
            _alerta(
                "serie_no_ajusta",
                f"serie {resumen.tipo} ({valores}, en orden de registro) no encaja con el criterio «{nombre_criterio(criterio)}»: "
                f"último {_num(resumen.ultimo)}, máximo {_num(resumen.maximo)}, "
                f"suma {_num(resumen.suma_sin_tope)}; se toma {_num(resumen.valor(criterio))}",
                h.linea,
                h.compromiso,
                h.hito_id,
            )
        )
    return alertas


def alertas_sin_porcentaje(avances: pd.DataFrame, compromiso_de: dict[str, int]) -> list[dict]:
    return [
        _alerta(
            "avance_sin_porcentaje",
            "el avance no declara porcentaje: cuenta como actividad pero no mueve el avance del hito",
            a["linea"],
            compromiso_de.get(a["hito_id"]),
            a["hito_id"],
            a["avance_id"],
        )
        for a in avances[avances["porcentaje"].isna()].to_dict("records")
    ]


def _lectura_posterior(m: dict) -> str:
    """Cómo se leyó una fecha posterior al registro, y qué puede significar (sin culpar a nadie)."""
    dias = -int(m["rezago_dias"])
    if m["anio"] == ANIO_EN_CURSO:
        # «del año en curso» escrito un año y cargado el siguiente apunta al año
        # de carga; el tablero no dice cuál quiso decir quien lo redactó.
        return (
            f"«{m['fragmento']}» se lee, por el año del registro, como {_dia(m['fecha_evento'])}: {dias} días después "
            f"del registro ({_dia(m['fecha_registro'])}). Si el texto se redactó el año anterior, el hecho sería de "
            "ese año; quien evalúa debe revisarlo. No entra en el rezago"
        )
    return (
        f"«{m['fragmento']}» se lee como {_dia(m['fecha_evento'])}, {dias} días después "
        f"del registro ({_dia(m['fecha_registro'])}); no entra en el rezago"
    )


def alertas_fechas_posteriores(menciones: pd.DataFrame, compromiso_de: dict[str, int]) -> list[dict]:
    posteriores = menciones[menciones["posterior_al_registro"]]
    return [
        _alerta(
            "fecha_evento_posterior",
            _lectura_posterior(m),
            m["linea"],
            compromiso_de.get(m["hito_id"]),
            m["hito_id"],
            m["avance_id"],
        )
        for m in posteriores.to_dict("records")
    ]


# --- tabla ------------------------------------------------------------------------------------


def alertas_no_vistos(tablas, visibles: pd.DataFrame, corte: date, compromiso_de: dict) -> list[dict]:
    """Avances que cuentan al corte pero ninguna captura tomada hasta el corte mostraba."""
    fechas = dict(zip(tablas.capturas["captura"], tablas.capturas["fecha_captura"]))
    alertas = []
    for a in avances_no_vistos(tablas, visibles, corte).to_dict("records"):
        primera = int(a["captura_primera"])
        cuando = fechas.get(primera) or "de fecha desconocida"
        alertas.append(
            _alerta(
                "no_visto_al_corte",
                f"registrado el {_fecha_hora(a['fecha_registro'])}, ninguna captura tomada hasta el corte lo mostraba; "
                f"aparece por primera vez en la captura {primera} ({cuando})",
                a["linea"], compromiso_de.get(a["hito_id"]), a["hito_id"], a["avance_id"],
            )
        )
    return alertas


def alertas_enlaces_rotos(enlaces: pd.DataFrame) -> list[dict]:
    """Enlaces de evidencia rotos en su última comprobación hasta el corte (tabla de :func:`enlaces_al_corte`)."""
    return [
        _alerta(
            "enlace_roto",
            f"{e['url']}: {texto_comprobacion(e['estado'], e['codigo_http'], e['url_final'], e['fecha_consulta'])}",
            e["linea"], e["compromiso"], e["hito_id"], e["avance_id"],
        )
        for e in enlaces[enlaces["estado"] == "roto"].to_dict("records")
    ]


def tabla_alertas(filas: list[dict]) -> pd.DataFrame:
    """Las alertas como tabla ordenada por línea, tipo, avance y detalle."""
    tabla = pd.DataFrame(filas, columns=COLUMNAS_ALERTAS)
    tabla = tabla.astype(
        {"tipo": "str", "compromiso": "Int64", "hito_id": "str", "avance_id": "str", "linea": "Int64", "detalle": "str"}
    )
    return tabla.sort_values(["linea", "tipo", "avance_id", "detalle"], kind="mergesort", na_position="first").reset_index(drop=True)


def calcular_alertas(
    tablas,
    corte: date,
    criterio: str = CRITERIO_POR_DEFECTO,
    hitos_metricas: pd.DataFrame | None = None,
    menciones: pd.DataFrame | None = None,
    compromisos_metricas: pd.DataFrame | None = None,
    enlaces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Todas las alertas al ``corte``; las métricas, menciones y enlaces que no se dan se calculan aquí."""
    corte = como_fecha(corte)
    criterio = validar_criterio(criterio)
    if hitos_metricas is None:
        hitos_metricas = metricas_hitos(tablas.hitos, tablas.avances, corte, criterio)
    if menciones is None:
        menciones = menciones_fechas(tablas.avances, corte)
    if compromisos_metricas is None:
        obs = observacion_al_corte(tablas.capturas, corte)
        compromisos_metricas = metricas_compromisos(reportados_al_corte(tablas, obs), hitos_metricas, obs.captura)
    visibles = avances_al_corte(tablas.avances, corte)
    compromiso_de = dict(zip(tablas.hitos["hito_id"], tablas.hitos["compromiso"]))
    if enlaces is None:
        enlaces = enlaces_al_corte(visibles, tablas.enlaces, corte, compromiso_de)
    # Contadores y hitos de la misma captura (la más reciente): es coherencia de los datos, no un valor al corte.
    ultima = tablas.tablero[tablas.tablero["captura"] == tablas.tablero["captura"].max()]
    filas = [
        *alertas_contadores(ultima, tablas.hitos, tablas.avances, criterio),
        *alertas_hitos_sin_fechas(tablas.hitos),
        *alertas_duplicados(visibles, compromiso_de),
        *alertas_retroceso(
            visibles, compromiso_de,
            frozenset(hitos_metricas.loc[hitos_metricas["tipo_serie"] == TIPO_INCREMENTAL, "hito_id"]),
        ),
        *alertas_orden_registro(visibles, compromiso_de),
        *alertas_fuera_de_plazo(tablas.hitos, visibles),
        *alertas_porcentaje_reportado(tablas.compromisos, compromisos_metricas, criterio),
        *alertas_series(visibles, hitos_metricas, criterio),
        *alertas_sin_porcentaje(visibles, compromiso_de),
        *alertas_fechas_posteriores(menciones, compromiso_de),
        *alertas_no_vistos(tablas, visibles, corte, compromiso_de),
        *alertas_enlaces_rotos(enlaces),
    ]
    return tabla_alertas(filas)
