"""El informe de un periodo: del paquete de datos a ``<salida>/<periodo>/``.

Flujo de :func:`generar_periodos` (y de :func:`generar_periodo`, que es el caso de uno)::

    evaluaciones y parámetros validados → por periodo, ¿huella igual y archivos intactos? → sí: nada que hacer
    → los demás: copia del paquete en su datos/ → los cuadernos de todos ellos en un solo grupo de
      núcleos con papermill (2 procesos, que leen el datos/ de cada periodo; las fichas primero)
    → cada proceso, al terminar un cuaderno, escribe su página HTML y maqueta su sección del PDF;
      tras el primer cuaderno de cada periodo, uno maqueta su apéndice; este, cuando los
      servidores de núcleos y de procesos ya cargaron, escribe las tablas de métricas y la
      página del apéndice
    → con todas las partes de un periodo, un proceso de trabajo las une en su PDF (portada,
      índice y pies): este proceso no importa WeasyPrint
    → se publica la carpeta de ese periodo y el índice a la vez (escritura.Salida)

Todo lo que el informe usa sale de **un** paquete de datos leído una vez
(:class:`Paquete`): los cuadernos reciben ``datos="datos"``, la copia que
acompaña al informe, y nunca el texto crudo. Con ``--fuente RAW`` el crudo se
lee una vez y se analiza en memoria, o se reutiliza el paquete incluido si
registra el mismo SHA-256.

Este módulo importa pandas, papermill y WeasyPrint solo dentro de las funciones
que los usan, para que una reejecución sin cambios (que solo compara huellas)
tarde una fracción de segundo.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from ..errores import AnalisisError
from ..escritura import PROPIOS, Salida, leer_manifiesto, sha256_archivo
from ..evaluacion.evaluacion import Evaluacion
from ..lectura.procedencia import Procedencia
from ..lectura.rutas import resolver_carpeta, resolver_fuente
from .ejecucion import VARIABLE_COMPARTIDAS, GrupoDeNucleos, avisar, serializar_cuaderno
from .parametros import cuadernos_plantilla, orden_de_ejecucion, validar_parametros

ARCHIVO_HUELLA = ".huella"
# Carpeta, dentro de cada informe, de la copia de las valoraciones del evaluador.
CARPETA_VALORACIONES = "valoraciones"
INDICE = "index.html"
# Página HTML del apéndice (métodos, procedencia y glosario), la última de cada periodo.
APENDICE_HTML = "apendice.html"
TITULO_APENDICE = "Apéndice: métodos, procedencia y glosario"
# Nombre de la copia del paquete dentro de cada informe; es lo que reciben los cuadernos.
CARPETA_DATOS = "datos"


# -- el paquete de datos de una ejecución ---------------------------------------------------


@dataclass(frozen=True)
class Paquete:
    """Los bytes de un paquete de datos (``datapackage.json`` y sus CSV), leídos una sola vez."""

    archivos: dict[str, bytes]

    @property
    def descriptor(self) -> dict:
        return json.loads(self.archivos["datapackage.json"])

    @property
    def fuente(self) -> dict:
        """El archivo crudo del que salen las tablas (la captura más reciente): nombre (``path``) y ``sha256``."""
        return (self.descriptor.get("sources") or [{}])[-1]

    @property
    def huella(self) -> str:
        return hashlib.sha256(self.archivos["datapackage.json"]).hexdigest()

    def filas(self, tabla: str) -> list[dict]:
        """Filas de una tabla del paquete (``"hitos.csv"``...) como diccionarios de texto, sin pandas."""
        return list(csv.DictReader(io.StringIO(self.archivos[tabla].decode("utf-8"))))

    def capturas(self) -> list[dict]:
        """Filas de capturas.csv (sin pandas), la más antigua primero."""
        return self.filas("capturas.csv")

    def fechas_registro(self) -> list[date]:
        """Fechas de registro de los avances (sin pandas: sirve a la ruta rápida de la caché)."""
        return [date.fromisoformat(f["fecha_registro"][:10]) for f in self.filas("avances.csv") if f.get("fecha_registro")]

    def inicio_del_plan(self) -> date | None:
        """Primer hito que empieza o primer avance registrado (sin pandas), o ``None``."""
        from ..evaluacion.periodos import inicio_del_plan

        return inicio_del_plan(
            [f.get("fecha_inicio") or "" for f in self.filas("hitos.csv")],
            [f.get("fecha_registro") or "" for f in self.filas("avances.csv")],
        )


def paquete_de_carpeta(carpeta: str | Path) -> Paquete:
    """Lee un paquete escrito por ``analisis parse`` y comprueba el SHA-256 de cada tabla."""
    from ..lectura.paquete import leer_archivos

    return Paquete(leer_archivos(resolver_carpeta(carpeta)))


def paquete_de_fuente(fuente: str | Path, reutilizable: str | Path | None = None) -> Paquete:
    """El paquete del archivo crudo ``fuente``, que se lee una sola vez.

    Si ``reutilizable`` es un paquete que registra el mismo SHA-256 del crudo,
    se usa tal cual; si no, el crudo (los bytes ya leídos) se analiza en memoria.
    """
    from ..lectura.capturas import leer_captura
    from ..lectura.historial import historial_de_tablero
    from ..lectura.paquete import paquete_bytes
    from ..lectura.tablero import parsear_bytes

    ruta = resolver_fuente(fuente)
    datos = ruta.read_bytes()
    sha = hashlib.sha256(datos).hexdigest()
    if reutilizable is not None:
        try:
            existente = paquete_de_carpeta(reutilizable)
        except AnalisisError:  # ausente o incompleto: no se reutiliza, se analiza el crudo
            existente = None
        if existente is not None and existente.fuente.get("sha256") == sha and existente.fuente.get("path") == ruta.name:
            avisar(f"se reutiliza el paquete {reutilizable}: registra el mismo SHA-256 de {ruta.name}")
            return existente
    # Su ficha de procedencia, si la tiene, da la fecha de captura (lo reportado al corte depende de ella).
    captura = leer_captura(ruta, sha256=sha)
    return Paquete(paquete_bytes(historial_de_tablero(parsear_bytes(datos, str(ruta)), captura)))


@dataclass(frozen=True)
class ArchivoValoraciones:
    """Las valoraciones del evaluador leídas una vez: nombre y bytes (se copian tal cual junto al informe)."""

    nombre: str
    contenido: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.contenido).hexdigest()

    @property
    def ruta_en_informe(self) -> str:
        """Lo que reciben los cuadernos en el parámetro ``valoraciones``: la copia, relativa al informe."""
        return f"{CARPETA_VALORACIONES}/{self.nombre}"


def valoraciones_de_archivo(ruta: str | Path, paquete: Paquete) -> ArchivoValoraciones:
    """Lee las valoraciones una vez y las valida frente a los compromisos y hitos del paquete."""
    from ..lectura.rutas import resolver_archivo
    from ..lectura.valoraciones import valoraciones_de_bytes

    real = resolver_archivo(ruta, "de valoraciones")
    contenido = real.read_bytes()
    compromisos = [int(f["compromiso"]) for f in paquete.filas("compromisos.csv")]
    hitos = [f["hito_id"] for f in paquete.filas("hitos.csv")]
    valoraciones_de_bytes(Path(ruta), contenido, compromisos, hitos)
    return ArchivoValoraciones(real.name, contenido)


def periodos_con_datos(paquete: Paquete) -> list[str]:
    """Trimestres con al menos un avance registrado."""
    from ..evaluacion.periodos import periodos_con_datos as _periodos

    return [p.etiqueta for p in _periodos(paquete.fechas_registro())]


# -- caché -----------------------------------------------------------------------------------


def huella(
    paquete: Paquete, cuadernos: list[Path], parametros: dict, valoraciones: ArchivoValoraciones | None = None
) -> str:
    """Huella de todo lo que determina un informe: datos, valoraciones, cuadernos, parámetros y código."""
    return _Huellas(paquete, cuadernos, valoraciones).de(parametros)


class _Huellas:
    """La :func:`huella` de varios periodos: lo común (datos, cuadernos, código) se lee una sola vez.

    ``--todos`` calcula una huella por periodo y solo difieren en los
    parámetros: el código del paquete y los cuadernos se leen una vez para todas.
    """

    def __init__(self, paquete: Paquete, cuadernos: list[Path], valoraciones: ArchivoValoraciones | None = None):
        h = hashlib.sha256()
        h.update(b"analisis " + __version__.encode())
        for nombre in sorted(paquete.archivos):
            h.update(nombre.encode() + b"\0" + paquete.archivos[nombre])
        if valoraciones is not None:
            h.update(b"valoraciones\0" + valoraciones.nombre.encode() + b"\0" + valoraciones.contenido)
        for cuaderno in cuadernos:
            h.update(cuaderno.name.encode() + b"\0" + cuaderno.read_bytes())
        self._antes = h
        # El código del paquete también: cambiar un cálculo sin cambiar la versión
        # debe rehacer el informe.
        codigo = Path(__file__).resolve().parents[1]
        self._trozos = [
            archivo.relative_to(codigo).as_posix().encode() + b"\0" + archivo.read_bytes()
            for archivo in sorted(codigo.rglob("*"))
            if archivo.is_file() and archivo.suffix in (".py", ".json", ".csv", ".css", ".html", ".j2", ".tpl")
        ]

    def de(self, parametros: dict) -> str:
        h = self._antes.copy()
        h.update(json.dumps(parametros, sort_keys=True, ensure_ascii=False).encode())
        for trozo in self._trozos:
            h.update(trozo)
        return h.hexdigest()


def _intacto(salida: Path, etiqueta: str, cuadernos: list[Path]) -> bool:
    """¿Cada archivo del informe publicado está, con el SHA-256 que registra el manifiesto?

    Un archivo borrado, cambiado o añadido dentro del informe obliga a rehacerlo.
    """
    manifiesto = leer_manifiesto(salida)
    propios = {k: v for k, v in manifiesto.items() if k.split("/", 1)[0] == etiqueta}
    esperados = [f"{etiqueta}/{c.name}" for c in cuadernos] + [f"{etiqueta}/{c.with_suffix('.html').name}" for c in cuadernos]
    esperados.append(f"{etiqueta}/informe_{etiqueta}.pdf")
    esperados.append(f"{etiqueta}/{APENDICE_HTML}")
    if not all(e in propios for e in esperados):
        return False
    carpeta = salida / etiqueta
    presentes = {
        p.relative_to(salida).as_posix() for p in carpeta.rglob("*") if p.is_file() and p.name not in PROPIOS
    }
    if presentes != set(propios):
        return False
    return all(sha256_archivo(salida / k) == v for k, v in propios.items())


# -- uno o varios periodos -------------------------------------------------------------------


@dataclass
class Resultado:
    periodo: str
    carpeta: Path
    reutilizado: bool
    segundos: float
    # Los núcleos (pid) que ejecutaron sus cuadernos: con --todos, los mismos para todos los periodos.
    nucleos: frozenset[int] = frozenset()


@dataclass
class _EnCurso:
    """Un periodo cuyos cuadernos se están ejecutando: su carpeta temporal y lo que ya llegó."""

    ev: Evaluacion
    parametros: dict
    clave: str
    temporal: Path
    secciones: dict = field(default_factory=dict)
    nucleos: set = field(default_factory=set)
    # Partes del PDF ya maquetadas (por ancla), mientras los demás cuadernos se ejecutan.
    partes: dict = field(default_factory=dict)

    @property
    def etiqueta(self) -> str:
        return self.ev.periodo.etiqueta


def generar_periodo(
    ev: Evaluacion,
    paquete: Paquete,
    salida: str | Path,
    trabajos: int = 2,
    cuadernos: list[Path] | None = None,
    valoraciones: ArchivoValoraciones | None = None,
) -> Resultado:
    """Ejecuta los cuadernos del periodo de ``ev`` y publica ``<salida>/<periodo>/`` y el índice.

    Si la huella de datos, cuadernos, parámetros y código coincide con la de
    la ejecución anterior y los archivos publicados siguen intactos, no se rehace nada.
    Con ``valoraciones``, su copia acompaña al informe (``valoraciones/``) y
    los cuadernos la reciben en el parámetro ``valoraciones``.
    El PDF lleva incrustados el paquete de datos y, si se dan, las valoraciones.
    """
    return generar_periodos([ev], paquete, salida, trabajos, cuadernos, valoraciones)[0]


def generar_periodos(
    evaluaciones: list[Evaluacion],
    paquete: Paquete,
    salida: str | Path,
    trabajos: int = 2,
    cuadernos: list[Path] | None = None,
    valoraciones: ArchivoValoraciones | None = None,
) -> list[Resultado]:
    """Como :func:`generar_periodo` para varios periodos, con **un** grupo de núcleos para todos.

    Los cuadernos de todos los periodos que haya que rehacer entran, en orden
    de periodo, en un solo :class:`GrupoDeNucleos` de ``trabajos`` procesos:
    los núcleos arrancan una vez, no una vez por periodo. Cada periodo se
    publica (su carpeta y el índice, a la vez) en cuanto sus cuadernos y su PDF
    están listos; si un cuaderno falla, el error se da y lo aún no publicado
    no se publica. El cerrojo de la carpeta de salida se toma una vez para todos.
    """
    inicio = time.perf_counter()
    cuadernos = cuadernos or cuadernos_plantilla()
    huellas = None
    planes = []
    for ev in evaluaciones:
        dados = {"periodo": ev.periodo.etiqueta, "corte": ev.corte.isoformat(), "datos": CARPETA_DATOS, "criterio": ev.criterio}
        if valoraciones is not None:
            dados["valoraciones"] = valoraciones.ruta_en_informe
        parametros = validar_parametros(dados, cuadernos)
        huellas = huellas or _Huellas(paquete, cuadernos, valoraciones)
        planes.append((ev, parametros, huellas.de(parametros)))
    resultados: dict[str, Resultado] = {}
    with Salida(salida, "--salida") as s:
        s.comprobar([ev.periodo.etiqueta for ev in evaluaciones] + [INDICE])
        pendientes: list[_EnCurso] = []
        for ev, parametros, clave in planes:
            etiqueta = ev.periodo.etiqueta
            destino = s.carpeta / etiqueta
            previa = destino / ARCHIVO_HUELLA
            if previa.is_file() and previa.read_text(encoding="utf-8").strip() == clave and _intacto(s.carpeta, etiqueta, cuadernos):
                avisar(f"{etiqueta}: sin cambios, se reutiliza {destino}")
                resultados[etiqueta] = Resultado(etiqueta, destino, True, time.perf_counter() - inicio)
            else:
                pendientes.append(_EnCurso(ev, parametros, clave, s.temporal(etiqueta) / etiqueta))
        if pendientes:
            _ejecutar_y_publicar(s, pendientes, paquete, cuadernos, valoraciones, trabajos, inicio, resultados)
    return [resultados[ev.periodo.etiqueta] for ev in evaluaciones]


#: Módulo que el servidor de procesos importa para los procesos de trabajo (ver :mod:`analisis.informe.precarga`).
_PRECARGA = ("analisis.informe.precarga",)


def _ejecutar_y_publicar(
    s: Salida,
    pendientes: list[_EnCurso],
    paquete: Paquete,
    cuadernos: list[Path],
    valoraciones: ArchivoValoraciones | None,
    trabajos: int,
    inicio: float,
    resultados: dict[str, Resultado],
) -> None:
    for p in pendientes:
        (p.temporal / CARPETA_DATOS).mkdir(parents=True)
        for nombre, contenido in paquete.archivos.items():
            (p.temporal / CARPETA_DATOS / nombre).write_bytes(contenido)
        if valoraciones is not None:
            (p.temporal / CARPETA_VALORACIONES).mkdir()
            (p.temporal / valoraciones.ruta_en_informe).write_bytes(valoraciones.contenido)
    total = len(cuadernos) * len(pendientes)
    procesos = max(1, min(trabajos, total))
    if len(pendientes) == 1:
        avisar(f"{pendientes[0].etiqueta}: ejecutando {total} cuadernos en {procesos} proceso(s)")
    else:
        avisar(f"ejecutando {total} cuadernos de {len(pendientes)} periodos en {procesos} proceso(s)")
    por_etiqueta = {p.etiqueta: p for p in pendientes}
    # Primero los núcleos y el servidor de procesos, lo que más tarda en estar
    # listo. Comparten con este proceso las evaluaciones (ver contexto.py), en una
    # carpeta temporal de la salida: se borra al terminar y, si la ejecución
    # muere, en la siguiente. Ruta absoluta: los núcleos trabajan en la carpeta
    # de cada periodo y la salida puede ser relativa.
    compartidas = s.temporal("evaluaciones-compartidas").resolve()
    entorno = {VARIABLE_COMPARTIDAS: str(compartidas)}
    with GrupoDeNucleos(procesos, pendientes[0].temporal, precarga=_PRECARGA, entorno=entorno) as grupo:
        # Los títulos de las páginas vecinas, para la navegación: una lectura de cada
        # plantilla por ejecución, no dos por cuaderno y periodo.
        titulos = titulos_de(cuadernos)
        from .pdf import ANCLA_APENDICE, ancla_de_seccion

        # Cada proceso de trabajo, al terminar un cuaderno, lo guarda con su
        # página HTML y maqueta su sección del PDF (_preparar_cuaderno) mientras
        # el otro núcleo sigue. El apéndice de cada periodo y, cuando un periodo
        # tiene todas sus partes, la unión de su PDF también los hacen los
        # procesos de trabajo, que ya tienen WeasyPrint cargado: este proceso
        # no lo importa (~0,7 s de CPU).
        anclas = {c: ancla_de_seccion(numero) for numero, c in enumerate(cuadernos, start=1)}
        orden = orden_de_ejecucion(cuadernos)
        apendices: dict[str, str] = {}
        for p in pendientes:
            apendices[p.etiqueta] = apendice_metodos(p.ev, paquete, valoraciones)
            for i, cuaderno in enumerate(orden):
                enlaces = navegacion(cuadernos, cuaderno, p.etiqueta, titulos)
                despues = (_preparar_cuaderno, (p.temporal, p.etiqueta, enlaces, anclas[cuaderno]))
                grupo.enviar(p.etiqueta, cuaderno, p.parametros, p.temporal, despues)
                if i == 0:
                    # El apéndice, tras el primer cuaderno (las fichas): maquetarlo
                    # es más largo que casi cualquier sección, y al final del
                    # periodo dejaría a un proceso trabajando solo antes de unir el PDF.
                    grupo.encargar(p.etiqueta, _maquetar_apendice, (apendices[p.etiqueta],), "el apéndice del PDF")
        # Las tablas y la página del apéndice de cada periodo, cuando los
        # servidores ya cargaron: mientras tanto ellos tienen los dos núcleos
        # de la máquina para sí (importar pandas y calcular costaría aquí ~1 s
        # de CPU), y es su carga la que retrasa el primer cuaderno.
        grupo.esperar_arranque()
        for p in pendientes:
            _escribir_tablas(p.ev, p.temporal, valoraciones, compartidas)
            _escribir_apendice(apendices[p.etiqueta], p.temporal, p.etiqueta, cuadernos, titulos)
        faltan_cuadernos, publicados, cierre = total, 0, None
        while publicados < len(pendientes):
            llegada = grupo.recibir()
            p = por_etiqueta[llegada.clave]
            if llegada.cuaderno is not None:
                c = llegada.cuaderno
                p.nucleos.add(llegada.nucleo)
                titulo, cuerpo, partes = llegada.resultado
                p.secciones[c] = (titulo, cuerpo)
                p.partes[anclas[c]] = partes
                avisar(f"{p.etiqueta}: [{len(p.secciones)}/{len(cuadernos)}] {c.name} ({llegada.segundos:.1f} s)")
                faltan_cuadernos -= 1
                if not faltan_cuadernos:
                    # Los núcleos ya no hacen falta: se cierran (sobre todo es
                    # esperar) mientras se unen los últimos PDF, y su memoria
                    # no se suma a la de unirlos.
                    cierre = threading.Thread(target=grupo.cerrar_nucleos, name="cierre-de-nucleos")
                    cierre.start()
            elif llegada.resultado[0] == "apendice":
                p.partes[ANCLA_APENDICE] = llegada.resultado[1]
            else:
                avisar(f"{p.etiqueta}: PDF compuesto ({llegada.segundos:.1f} s)")
                _publicar(s, p, inicio, resultados)
                publicados += 1
                continue
            if len(p.secciones) == len(cuadernos) and ANCLA_APENDICE in p.partes:
                avisar(f"{p.etiqueta}: componiendo el PDF")
                argumentos = (
                    [p.secciones[c] for c in cuadernos], p.ev, paquete, p.temporal,
                    apendices[p.etiqueta], valoraciones, p.partes,
                )
                grupo.encargar(p.etiqueta, _pdf_en_trabajo, argumentos, "la unión del PDF")
                # Las partes viajan al proceso de trabajo. La cola las serializa
                # en otro hilo: aquí se sueltan sin tocar los diccionarios.
                p.secciones, p.partes = {}, {}
        if cierre is not None:
            cierre.join()


def _publicar(s: Salida, p: _EnCurso, inicio: float, resultados: dict[str, Resultado]) -> None:
    """Con el PDF de ``p`` ya escrito: su huella, el índice, y la publicación de los dos a la vez."""
    (p.temporal / ARCHIVO_HUELLA).write_text(p.clave + "\n", encoding="utf-8")
    escribir_indice(s, p.etiqueta, temporal=p.etiqueta)
    s.publicar([p.etiqueta, INDICE], temporal=p.etiqueta)
    segundos = time.perf_counter() - inicio
    destino = s.carpeta / p.etiqueta
    avisar(f"{p.etiqueta}: informe escrito en {destino} ({segundos:.1f} s)")
    resultados[p.etiqueta] = Resultado(p.etiqueta, destino, False, segundos, frozenset(p.nucleos))


def _maquetar_apendice(apendice: str) -> tuple:
    """En un proceso de trabajo: la parte del PDF del apéndice."""
    from .pdf import maquetar_apendice

    return "apendice", maquetar_apendice(apendice)


def _pdf_en_trabajo(*argumentos) -> tuple:
    """En un proceso de trabajo: une el PDF del periodo (:func:`_componer_pdf`) en su carpeta temporal."""
    _componer_pdf(*argumentos)
    return "pdf", None


def _preparar_cuaderno(cuaderno: Path, nb: dict, carpeta: Path, etiqueta: str, enlaces: list[dict], ancla: str) -> tuple:
    """En el proceso de trabajo que lo ejecutó: guarda el cuaderno y su página y maqueta su sección del PDF.

    Devuelve (título, cuerpo de la sección, partes del PDF): datos simples, que
    vuelven al proceso principal.
    """
    from .pdf import maquetar_seccion

    titulo, cuerpo = _escribir_cuaderno(cuaderno, nb, carpeta, etiqueta, enlaces)
    return titulo, cuerpo, maquetar_seccion(ancla, titulo, cuerpo)


def _escribir_tablas(
    ev: Evaluacion, carpeta: Path, valoraciones: ArchivoValoraciones | None, compartidas: Path
) -> None:
    """Tablas de métricas del periodo, calculadas desde las copias del paquete y las valoraciones que acompañan al informe.

    La evaluación queda en ``compartidas`` para los núcleos (o sale de allí, si
    un núcleo llegó antes): ver :mod:`analisis.informe.contexto`.
    """
    from ..evaluacion.calculo import metricas_bytes
    from ..lectura.valoraciones import leer_valoraciones
    from .contexto import evaluacion_compartida, tablas_de

    (carpeta / "tablas").mkdir()
    clave, tablas = tablas_de(carpeta / CARPETA_DATOS)
    leidas = None
    if valoraciones is not None:
        leidas = leer_valoraciones(
            carpeta / valoraciones.ruta_en_informe, tablas.compromisos["compromiso"], tablas.hitos["hito_id"]
        )
    for nombre, contenido in metricas_bytes(evaluacion_compartida(compartidas, tablas, clave, ev, leidas)).items():
        (carpeta / "tablas" / nombre).write_bytes(contenido)


def titulos_de(cuadernos: list[Path]) -> dict[Path, str]:
    """El título de cada cuaderno plantilla (su primer encabezado), leído una vez por ejecución.

    Con json y no con ``nbformat.read``, que valida el cuaderno: la validación
    importa jsonschema (~0,25 s de CPU) en el proceso principal para leer un
    título. Las plantillas se validan igual al ejecutarlas (papermill).
    """
    from .html import titulo_de

    return {c: titulo_de(json.loads(c.read_text(encoding="utf-8")), c.stem) for c in cuadernos}


def navegacion(cuadernos: list[Path], actual: Path, etiqueta: str, titulos: dict[Path, str]) -> list[dict]:
    """Enlaces de la página HTML de ``actual``: anterior, índice, PDF del periodo y siguiente."""
    i = cuadernos.index(actual)
    enlaces = _enlaces_del_periodo(cuadernos[i - 1] if i > 0 else None, etiqueta, titulos)
    if i + 1 < len(cuadernos):
        siguiente = cuadernos[i + 1]
        enlaces.append({"texto": f"{titulos[siguiente]} →", "href": siguiente.with_suffix(".html").name, "rel": "next"})
    else:
        enlaces.append({"texto": f"{TITULO_APENDICE} →", "href": APENDICE_HTML, "rel": "next"})
    return enlaces


def _enlaces_del_periodo(previo: Path | None, etiqueta: str, titulos: dict[Path, str]) -> list[dict]:
    """Los enlaces que toda página HTML de un periodo lleva: la anterior (si la hay), el índice y el PDF."""
    enlaces = []
    if previo is not None:
        enlaces.append({"texto": f"← {titulos[previo]}", "href": previo.with_suffix(".html").name, "rel": "prev"})
    enlaces.append({"texto": "Todos los periodos", "href": f"../{INDICE}", "rel": "index"})
    enlaces.append({"texto": f"Informe {etiqueta} en PDF", "href": f"informe_{etiqueta}.pdf", "rel": "alternate"})
    return enlaces


def _escribir_apendice(apendice: str, carpeta: Path, etiqueta: str, cuadernos: list[Path], titulos: dict[Path, str]) -> None:
    """La página HTML del apéndice, la misma del PDF: quien lee en HTML también tiene el glosario y los métodos."""
    import markupsafe

    from ..escritura import escribir_archivo
    from .html import pagina_html

    enlaces = _enlaces_del_periodo(cuadernos[-1], etiqueta, titulos)
    # De confianza: sale de la plantilla apendice.html.j2, que escapa todo texto variable.
    cuerpo = markupsafe.Markup(f"<h1>{markupsafe.escape(TITULO_APENDICE)}</h1>\n{apendice}")  # noqa: S704
    pagina = pagina_html(cuerpo, f"{TITULO_APENDICE} · {etiqueta}", enlaces)
    escribir_archivo(carpeta / APENDICE_HTML, pagina.encode("utf-8"))


def _escribir_cuaderno(
    cuaderno: Path, nb: dict, carpeta: Path, etiqueta: str, enlaces: list[dict] | None = None
) -> tuple[str, object]:
    """Guarda el cuaderno ejecutado y su página HTML; devuelve (título, cuerpo de su sección del PDF).

    El cuerpo saneado se calcula una vez y sirve a la página y al PDF; la
    sección del PDF queda lista mientras los demás cuadernos aún se ejecutan, y
    el cuaderno no se guarda en memoria hasta componer el PDF.
    """
    import nbformat

    from ..escritura import escribir_archivo
    from .html import fragmento_html, pagina_html, titulo_de
    from .pdf import cuerpo_de_seccion

    (carpeta / cuaderno.name).write_bytes(serializar_cuaderno(nb))
    nodo = nbformat.from_dict(nb)
    titulo = titulo_de(nodo, cuaderno.stem)
    cuerpo = fragmento_html(nodo)
    pagina = pagina_html(cuerpo, f"{titulo} · {etiqueta}", enlaces)
    escribir_archivo(carpeta / cuaderno.with_suffix(".html").name, pagina.encode("utf-8"))
    return titulo, cuerpo_de_seccion(titulo, cuerpo)


def procedencia_del_paquete(paquete: Paquete) -> Procedencia:
    """Dirección del tablero y fecha de su captura más reciente, tal como las registra ``capturas.csv``."""
    from ..evaluacion.reportado import fecha_de_captura

    capturas = paquete.capturas()
    ultima = capturas[-1] if capturas else {}
    return Procedencia(ultima.get("fuente") or "", fecha_de_captura(ultima) if ultima else "desconocida")


def adjuntos_del_informe(paquete: Paquete, valoraciones: ArchivoValoraciones | None = None) -> list:
    """Lo que el PDF lleva incrustado: el paquete de datos y, si se dio, el archivo de valoraciones."""
    from .pdf import Adjunto

    adjuntos = [
        Adjunto(f"{CARPETA_DATOS}-{nombre}", paquete.archivos[nombre], "Paquete de datos con que se hizo este informe")
        for nombre in sorted(paquete.archivos)
    ]
    if valoraciones is not None:
        adjuntos.append(Adjunto(valoraciones.nombre, valoraciones.contenido, "Valoraciones de quien evalúa"))
    return adjuntos


def _componer_pdf(
    secciones: list,
    ev: Evaluacion,
    paquete: Paquete,
    carpeta: Path,
    apendice: str,
    valoraciones: ArchivoValoraciones | None = None,
    partes: dict | None = None,
) -> None:
    """Compone el PDF del periodo; ``apendice`` es el HTML de :func:`apendice_metodos`, el mismo de la página HTML."""
    from ..evaluacion.criterios import nombre_criterio
    from .pdf import componer_informe

    etiqueta = ev.periodo.etiqueta
    procedencia = procedencia_del_paquete(paquete)
    portada = {
        # Sin valoraciones de quien evalúa el informe no juzga nada: es un seguimiento de los datos.
        "titulo": (
            "Evaluación independiente del plan de acción de Gobierno Abierto"
            if valoraciones is not None
            else "Seguimiento independiente del plan de acción de Gobierno Abierto"
        ),
        "subtitulo": "6.º Plan de Acción Nacional de Gobierno Abierto 2023-2025 · Guatemala",
        "Periodo": etiqueta,
        "Fecha de corte": ev.corte.isoformat(),
        "Criterio de avance": nombre_criterio(ev.criterio),
        "Tablero publicado": procedencia.url,
        "Fecha de captura del tablero": procedencia.captura,
    }
    from ..evaluacion.reportado import fecha_de_captura, observacion_al_corte

    # Cada captura usada, con su fecha, dirección y huella: el lector sabe qué versión del tablero se leyó.
    for f in paquete.capturas():
        portada[f"Captura {f['captura']}"] = (
            f"{fecha_de_captura(f)} · {f['fuente'] or 'fuente desconocida'} · SHA-256 {f['sha256']}"
        )
    portada["Lo reportado por el tablero al corte"] = observacion_al_corte(paquete.capturas(), ev.corte).describir()
    componer_informe(
        secciones, portada, apendice, carpeta / f"informe_{etiqueta}.pdf",
        adjuntos_del_informe(paquete, valoraciones), partes,
    )


def apendice_metodos(ev: Evaluacion, paquete: Paquete, valoraciones: ArchivoValoraciones | None = None) -> str:
    """Apéndice de métodos, procedencia y glosario (HTML de una plantilla Jinja que escapa todo texto variable)."""
    from ..evaluacion.criterios import nombre_criterio

    filas = [
        ("Archivo crudo", paquete.fuente.get("path", "")),
        ("SHA-256 del archivo crudo", paquete.fuente.get("sha256", "")),
        ("SHA-256 del paquete de datos (datapackage.json)", paquete.huella),
        ("Versión de analisis", __version__),
        ("Periodo", ev.periodo.etiqueta),
        ("Fecha de corte", ev.corte.isoformat()),
        ("Criterio de avance de un hito", nombre_criterio(ev.criterio)),
    ]
    if valoraciones is not None:
        filas += [
            ("Valoraciones del evaluador", valoraciones.ruta_en_informe),
            ("SHA-256 de las valoraciones", valoraciones.sha256),
        ]
    from ..evaluacion.reportado import fecha_de_captura, observacion_al_corte

    capturas = [
        {**f, "fecha": fecha_de_captura(f), "fuente": f["fuente"] or "desconocida"} for f in paquete.capturas()
    ]
    from .plantilla import renderizar

    return renderizar(
        "apendice.html.j2",
        filas=filas,
        periodo=ev.periodo.etiqueta,
        capturas=capturas,
        reportado=observacion_al_corte(paquete.capturas(), ev.corte).describir(),
        valoraciones=valoraciones.ruta_en_informe if valoraciones else "",
        adjuntos=[x.nombre for x in adjuntos_del_informe(paquete, valoraciones)],
        comprobaciones=paquete.descriptor.get("x_observaciones_enlaces", []),
        glosario=secciones_glosario(),
    )


def secciones_glosario() -> list[tuple[str, list]]:
    """El glosario por categoría, en el orden de :data:`analisis.lectura.glosario.CATEGORIAS`."""
    from ..lectura.glosario import CATEGORIAS, terminos

    return [(titulo, [t for t in terminos() if t.categoria == categoria]) for categoria, titulo in CATEGORIAS.items()]


def _titulo_de_pagina(pagina: Path) -> str:
    """El título con que se publicó una página HTML (su ``<title>`` sin el periodo), o su nombre de archivo."""
    import html as html_texto
    import re

    encontrado = re.search(r"<title>(.*?)</title>", pagina.read_text(encoding="utf-8"), re.S)
    return html_texto.unescape(encontrado.group(1)).rsplit(" · ", 1)[0].strip() if encontrado else pagina.stem


def escribir_indice(s: Salida, nuevo: str, temporal: str = "") -> None:
    """``index.html`` en la carpeta temporal (la de clave ``temporal``): los periodos publicados por analisis más el nuevo."""
    publicados = {k.split("/", 1)[0] for k in s.manifiesto() if "/" in k}
    periodos = []
    for nombre in sorted(publicados | {nuevo}):
        carpeta = (s.temporal(temporal) if nombre == nuevo else s.carpeta) / nombre
        pdf = carpeta / f"informe_{nombre}.pdf"
        if not pdf.is_file():
            continue
        paginas = [{"archivo": p.name, "titulo": _titulo_de_pagina(p)} for p in sorted(carpeta.glob("*.html"))]
        periodos.append({"nombre": nombre, "pdf": pdf.name, "paginas": paginas})
    from .plantilla import renderizar

    html = renderizar("indice.html.j2", periodos=periodos)
    (s.temporal(temporal) / INDICE).write_text(html, encoding="utf-8")
