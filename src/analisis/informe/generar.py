"""Ejecución de los cuadernos de un periodo y composición de su informe.

Flujo de ``generar_periodo``::

    validar parámetros → ¿huella igual a la anterior? → sí: nada que hacer
                                                     → no: papermill (2 procesos)
    → limpiar metadatos variables → HTML por cuaderno → un PDF por periodo
    → tablas de métricas → mover todo a <salida>/<periodo>/ de una vez

Todo se escribe primero en una carpeta temporal junto a la de destino y se
mueve al final: un cuaderno que falla no deja un informe a medias.

Este módulo importa pandas, papermill y WeasyPrint solo dentro de las funciones
que los usan, para que una reejecución sin cambios (que solo compara huellas)
tarde una fracción de segundo.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import __version__
from ..evaluacion.criterios import CRITERIOS
from ..errores import AnalisisError, ErrorParametro
from ..lectura.rutas import carpeta_cuadernos, fuente_para_cuaderno, resolver_fuente

ARCHIVO_HUELLA = ".huella"
TIPOS = {"str": str, "int": int, "float": float, "bool": bool}


# -- parámetros --------------------------------------------------------------------


@dataclass(frozen=True)
class Parametro:
    nombre: str
    tipo: type
    defecto: object
    comentario: str


def leer_parametros(cuaderno: Path) -> dict[str, Parametro]:
    """Parámetros declarados en la celda etiquetada ``parameters`` de un cuaderno.

    Cada parámetro debe ser una asignación anotada con un literal
    (``periodo: str = "2025-T2"  # comentario``), que es lo que papermill
    sustituye y lo que permite validar tipos antes de ejecutar nada.
    """
    nb = json.loads(Path(cuaderno).read_text(encoding="utf-8"))
    celdas = [
        c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(celdas) != 1:
        raise ErrorParametro(f"{cuaderno}: debe tener exactamente una celda etiquetada «parameters»")
    fuente = "".join(celdas[0]["source"])
    lineas = fuente.splitlines()
    parametros: dict[str, Parametro] = {}
    for nodo in ast.parse(fuente).body:
        if not (isinstance(nodo, ast.AnnAssign) and isinstance(nodo.target, ast.Name)):
            raise ErrorParametro(
                f"{cuaderno}: la celda de parámetros solo admite asignaciones anotadas (línea {nodo.lineno})"
            )
        anotacion = ast.unparse(nodo.annotation)
        if anotacion not in TIPOS or nodo.value is None:
            raise ErrorParametro(f"{cuaderno}: parámetro «{nodo.target.id}» con tipo no admitido: {anotacion}")
        linea = lineas[nodo.lineno - 1]
        comentario = linea.split("#", 1)[1].strip() if "#" in linea else ""
        parametros[nodo.target.id] = Parametro(
            nodo.target.id, TIPOS[anotacion], ast.literal_eval(nodo.value), comentario
        )
    return parametros


def cuadernos_plantilla(carpeta: Path | None = None) -> list[Path]:
    """Los cuadernos del informe, en el orden de sus prefijos numéricos (``NN_tema.ipynb``)."""
    carpeta = carpeta or carpeta_cuadernos()
    cuadernos = sorted(p for p in Path(carpeta).glob("[0-9][0-9]_*.ipynb"))
    if not cuadernos:
        raise ErrorParametro(f"no hay cuadernos NN_tema.ipynb en {carpeta}")
    return cuadernos


def validar_parametros(parametros: dict, cuadernos: list[Path]) -> dict:
    """Comprueba nombres, tipos y valores antes de ejecutar (papermill solo avisaría).

    Devuelve los parámetros completos (con los valores por defecto del
    cuaderno para los que no se dieron) y normalizados.
    """
    declarados = leer_parametros(cuadernos[0])
    for cuaderno in cuadernos[1:]:
        otros = leer_parametros(cuaderno)
        if set(otros) != set(declarados):
            raise ErrorParametro(
                f"{cuaderno.name}: sus parámetros ({', '.join(otros)}) difieren de los de "
                f"{cuadernos[0].name} ({', '.join(declarados)})"
            )
    desconocidos = sorted(set(parametros) - set(declarados))
    if desconocidos:
        raise ErrorParametro(
            f"parámetro desconocido: {', '.join(desconocidos)} (válidos: {', '.join(declarados)})"
        )
    completos = {n: p.defecto for n, p in declarados.items()}
    for nombre, valor in parametros.items():
        tipo = declarados[nombre].tipo
        if not isinstance(valor, tipo) or (tipo is int and isinstance(valor, bool)):
            raise ErrorParametro(
                f"el parámetro {nombre} debe ser {tipo.__name__}, no {type(valor).__name__} ({valor!r})"
            )
        completos[nombre] = valor
    from ..evaluacion.periodos import parsear_corte, parsear_periodo

    periodo = parsear_periodo(str(completos["periodo"]))
    completos["periodo"] = periodo.etiqueta
    if completos.get("corte"):
        corte = parsear_corte(str(completos["corte"]))
        if corte < periodo.inicio:
            raise ErrorParametro(f"la fecha de corte {corte} es anterior al inicio del periodo {periodo.etiqueta}")
    if completos.get("criterio") not in CRITERIOS:
        raise ErrorParametro(f"criterio desconocido «{completos.get('criterio')}» (válidos: {', '.join(CRITERIOS)})")
    return completos


# -- huella para la caché --------------------------------------------------------------


def huella(fuente: Path, cuadernos: list[Path], parametros: dict) -> str:
    """Huella de todo lo que determina un informe: datos, cuadernos, parámetros y código."""
    h = hashlib.sha256()
    h.update(b"analisis " + __version__.encode())
    h.update(fuente.read_bytes())
    for cuaderno in cuadernos:
        h.update(cuaderno.name.encode() + b"\0" + cuaderno.read_bytes())
    h.update(json.dumps(parametros, sort_keys=True, ensure_ascii=False).encode())
    # El código del paquete también: cambiar un cálculo sin cambiar la versión
    # debe rehacer el informe.
    paquete = Path(__file__).resolve().parents[1]
    for archivo in sorted(paquete.rglob("*")):
        if archivo.is_file() and archivo.suffix in (".py", ".json", ".csv", ".css", ".html", ".j2", ".tpl"):
            h.update(archivo.relative_to(paquete).as_posix().encode() + b"\0" + archivo.read_bytes())
    return h.hexdigest()


# -- ejecución -------------------------------------------------------------------------


def limpiar_cuaderno(nb: dict) -> dict:
    """Quita lo que cambia de una ejecución a otra sin cambiar el contenido.

    papermill anota horas de inicio y fin, duraciones y rutas de entrada y
    salida; nbclient anota marcas de tiempo por celda. Se conservan los
    parámetros usados, que sí son parte del resultado.
    """
    papermill = nb.get("metadata", {}).get("papermill", {})
    nb["metadata"]["papermill"] = {"parameters": papermill.get("parameters", {})}
    # La versión exacta de Python (3.11.7 frente a 3.11.9) no cambia ningún
    # resultado, pero cambiaría los bytes del cuaderno publicado entre máquinas.
    nb["metadata"].get("language_info", {}).pop("version", None)
    for celda in nb["cells"]:
        celda.get("metadata", {}).pop("execution", None)
        celda.get("metadata", {}).pop("papermill", None)
        # Los ids de celda que papermill inyecta son aleatorios.
        if "id" in celda and celda.get("metadata", {}).get("tags") == ["injected-parameters"]:
            celda["id"] = "parametros-inyectados"
    return nb


def serializar_cuaderno(nb: dict) -> bytes:
    """JSON estable (mismo formato que Jupyter: sangría 1, claves ordenadas)."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@contextlib.contextmanager
def _silenciar_nucleo():
    """Descarta la salida de errores del proceso del núcleo mientras se ejecuta.

    El núcleo hereda el descriptor 2 y escribe avisos que no ayudan a quien
    genera un informe («Kernel is running over TCP without encryption»,
    «KeyboardInterrupt caught in kernel» al cerrarse). Los errores de verdad
    llegan igual: papermill los devuelve como excepción con su traza.
    """
    sys.stderr.flush()
    copia = os.dup(2)
    nulo = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(nulo, 2)
        yield
    finally:
        os.dup2(copia, 2)
        os.close(copia)
        os.close(nulo)


# Celda que se antepone a cada cuaderno cuando el núcleo se reutiliza: vacía
# el espacio de nombres del anterior y reinicia el contador de ejecución, de
# modo que el resultado es el mismo que con un núcleo nuevo (así lo comprueba
# nbval, que reejecuta cada cuaderno de referencia en un núcleo limpio). Se
# quita del cuaderno ejecutado.
_CELDA_REINICIO = (
    'get_ipython().run_line_magic("reset", "-f")\n'
    "get_ipython().execution_count = 1"
)
_ID_REINICIO = "analisis-reinicio-del-nucleo"


def _ejecutar_con_nucleo(entrada: str, parametros: dict, cwd: str, km) -> tuple[dict, float]:
    """Ejecuta un cuaderno con papermill sobre el núcleo ``km`` ya arrancado (o por arrancar)."""
    import nbformat
    import papermill

    inicio = time.perf_counter()
    nb = nbformat.read(entrada, as_version=4)
    reinicio = nbformat.v4.new_code_cell(_CELDA_REINICIO)
    reinicio["id"] = _ID_REINICIO
    nb.cells.insert(0, reinicio)
    try:
        with _silenciar_nucleo():
            ejecutado = papermill.execute_notebook(
                nb,
                None,
                parameters=parametros,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=cwd,
                km=km,
            )
    except papermill.PapermillExecutionError as exc:
        raise AnalisisError(
            f"{Path(entrada).name}: falló la celda {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None
    ejecutado.cells = [c for c in ejecutado.cells if c.get("id") != _ID_REINICIO]
    return limpiar_cuaderno(dict(ejecutado)), time.perf_counter() - inicio


def _trabajador(cwd: str, parametros: dict, tareas, resultados) -> None:
    """Proceso de trabajo: un núcleo para todos los cuadernos que le toquen."""
    # Mismo orden de conjuntos y diccionarios con hash en cada ejecución del núcleo.
    os.environ["PYTHONHASHSEED"] = "0"
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name="python3")
    try:
        while (entrada := tareas.get()) is not None:
            try:
                nb, segundos = _ejecutar_con_nucleo(entrada, parametros, cwd, km)
                resultados.put((entrada, nb, segundos, None))
            except Exception as exc:  # el proceso principal decide; aquí solo se informa
                resultados.put((entrada, None, 0.0, str(exc) if isinstance(exc, AnalisisError) else repr(exc)))
    finally:
        if km.has_kernel:
            with _silenciar_nucleo():
                run_sync(km.shutdown_kernel)(now=False)


def _avisar(mensaje: str) -> None:
    print(f"analisis: {mensaje}", file=sys.stderr, flush=True)


@dataclass
class Resultado:
    periodo: str
    carpeta: Path
    reutilizado: bool
    segundos: float


def generar_periodo(
    periodo: str,
    fuente: str | Path,
    salida: str | Path,
    criterio: str = "ultimo",
    corte: str = "",
    trabajos: int = 2,
    cuadernos: list[Path] | None = None,
) -> Resultado:
    """Ejecuta los cuadernos del periodo y escribe ``<salida>/<periodo>/``.

    Si la huella de datos, cuadernos, parámetros y código coincide con la de
    la ejecución anterior y los archivos siguen ahí, no se rehace nada.
    """
    inicio = time.perf_counter()
    cuadernos = cuadernos or cuadernos_plantilla()
    fuente_real = resolver_fuente(fuente)
    parametros = validar_parametros(
        {"periodo": periodo, "corte": corte, "fuente": fuente_para_cuaderno(fuente), "criterio": criterio},
        cuadernos,
    )
    etiqueta = parametros["periodo"]
    salida = Path(salida)
    destino = salida / etiqueta
    clave = huella(fuente_real, cuadernos, parametros)
    previa = destino / ARCHIVO_HUELLA
    if previa.is_file() and previa.read_text(encoding="utf-8").strip() == clave and _completo(destino, cuadernos):
        _avisar(f"{etiqueta}: sin cambios, se reutiliza {destino}")
        return Resultado(etiqueta, destino, True, time.perf_counter() - inicio)

    salida.mkdir(parents=True, exist_ok=True)
    # Ejecutar en una carpeta hermana de la final: mismas rutas relativas, y el
    # cambio final es un renombre dentro del mismo sistema de archivos.
    temporal = Path(tempfile.mkdtemp(prefix=f".{etiqueta}.parcial-", dir=salida))
    try:
        # Mientras los procesos ejecutan los cuadernos, este escribe las tablas y
        # exporta a HTML cada cuaderno según llega; el PDF necesita todos.
        corte_y_sha: list[tuple[date, str]] = []
        secciones: dict[Path, tuple[str, object]] = {}
        _ejecutar_todos(
            cuadernos, parametros, temporal, etiqueta, trabajos,
            mientras=lambda: corte_y_sha.append(_escribir_tablas(parametros, fuente_real, temporal, etiqueta)),
            al_llegar=lambda c, nb: secciones.__setitem__(c, _escribir_cuaderno(c, nb, temporal, etiqueta)),
        )
        _componer_pdf([secciones[c] for c in cuadernos], parametros, fuente_real, temporal, etiqueta, *corte_y_sha[0])
        (temporal / ARCHIVO_HUELLA).write_text(clave + "\n", encoding="utf-8")
        _reemplazar_carpeta(temporal, destino)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    escribir_indice(salida)
    segundos = time.perf_counter() - inicio
    _avisar(f"{etiqueta}: informe escrito en {destino} ({segundos:.1f} s)")
    return Resultado(etiqueta, destino, False, segundos)


def _completo(destino: Path, cuadernos: list[Path]) -> bool:
    esperados = [destino / c.name for c in cuadernos] + [destino / c.with_suffix(".html").name for c in cuadernos]
    esperados.append(destino / f"informe_{destino.name}.pdf")
    return all(p.is_file() for p in esperados)


def _siguiente(resultados, hijos) -> tuple:
    """El próximo resultado de los procesos; error claro si todos murieron sin darlo.

    Sin esta vigilancia, un proceso que muere (memoria agotada, señal) dejaría
    al principal esperando para siempre.
    """
    import queue

    while True:
        try:
            return resultados.get(timeout=2)
        except queue.Empty:
            if not any(h.is_alive() for h in hijos):
                codigos = ", ".join(str(h.exitcode) for h in hijos)
                raise AnalisisError(
                    f"los procesos que ejecutan los cuadernos terminaron sin terminar el trabajo (códigos de salida: {codigos})"
                ) from None


def _ejecutar_todos(
    cuadernos: list[Path],
    parametros: dict,
    carpeta: Path,
    etiqueta: str,
    trabajos: int,
    mientras=None,
    al_llegar=None,
) -> list[tuple[Path, dict]]:
    """Reparte los cuadernos entre ``trabajos`` procesos, cada uno con un núcleo que reutiliza.

    Arrancar un núcleo e importar pandas y matplotlib cuesta unos 2 s; con un
    núcleo por proceso ese coste se paga dos veces por periodo y no seis.
    ``mientras()`` se ejecuta en este proceso mientras los otros trabajan, y
    ``al_llegar(cuaderno, nb)`` con cada cuaderno en cuanto termina.
    """
    import multiprocessing

    total = len(cuadernos)
    procesos = max(1, min(trabajos, total))
    _avisar(f"{etiqueta}: ejecutando {total} cuadernos en {procesos} proceso(s)")
    contexto = multiprocessing.get_context("spawn")
    tareas, resultados = contexto.Queue(), contexto.Queue()
    for cuaderno in cuadernos:
        tareas.put(str(cuaderno))
    for _ in range(procesos):
        tareas.put(None)
    hijos = [
        contexto.Process(target=_trabajador, args=(str(carpeta), parametros, tareas, resultados), daemon=True)
        for _ in range(procesos)
    ]
    for hijo in hijos:
        hijo.start()
    hechos: dict[str, dict] = {}
    try:
        if mientras is not None:
            mientras()
        for i in range(1, total + 1):
            entrada, nb, segundos, error = _siguiente(resultados, hijos)
            if error is not None:
                raise AnalisisError(error)
            hechos[entrada] = nb
            _avisar(f"{etiqueta}: [{i}/{total}] {Path(entrada).name} ({segundos:.1f} s)")
            if al_llegar is not None:
                al_llegar(Path(entrada), nb)
        for hijo in hijos:
            hijo.join()
    finally:
        for hijo in hijos:
            if hijo.is_alive():
                hijo.terminate()
                hijo.join()
    return [(c, hechos[str(c)]) for c in cuadernos]


def _escribir_tablas(parametros: dict, fuente: Path, carpeta: Path, etiqueta: str) -> tuple[date, str]:
    """Paquete de datos y tablas de métricas del periodo; devuelve la fecha de corte y el SHA-256 de la fuente."""
    from ..evaluacion.calculo import calcular, escribir_metricas
    from ..evaluacion.evaluacion import Evaluacion
    from ..lectura.paquete import escribir_paquete, tablas_desde_tablero
    from ..evaluacion.periodos import parsear_corte, parsear_periodo
    from ..lectura.tablero import parsear_archivo

    periodo = parsear_periodo(etiqueta)
    corte = parsear_corte(parametros["corte"]) if parametros.get("corte") else periodo.fin
    tablero = parsear_archivo(fuente)
    escribir_paquete(tablero, carpeta / "datos")
    escribir_metricas(calcular(tablas_desde_tablero(tablero), Evaluacion(corte, parametros["criterio"], periodo)), carpeta / "tablas")
    # Importar ya el exportador HTML y WeasyPrint (más de medio segundo) mientras
    # los cuadernos aún se ejecutan.
    from . import html, pdf  # noqa: F401

    return corte, tablero.sha256


def _escribir_cuaderno(cuaderno: Path, nb: dict, carpeta: Path, etiqueta: str) -> tuple[str, object]:
    """Guarda el cuaderno ejecutado y su página HTML; devuelve (título, cuaderno) para el PDF."""
    import nbformat

    from .html import exportar_html, titulo_de

    (carpeta / cuaderno.name).write_bytes(serializar_cuaderno(nb))
    nodo = nbformat.from_dict(nb)
    titulo = titulo_de(nodo, cuaderno.stem)
    exportar_html(nodo, carpeta / cuaderno.with_suffix(".html").name, titulo=f"{titulo} · {etiqueta}")
    return titulo, nodo


def _componer_pdf(
    secciones: list, parametros: dict, fuente: Path, carpeta: Path, etiqueta: str, corte: date, sha: str
) -> None:
    from .pdf import componer_informe

    _avisar(f"{etiqueta}: componiendo el PDF")
    t0 = time.perf_counter()
    portada = {
        "titulo": "Evaluación independiente del plan de acción de Gobierno Abierto",
        "subtitulo": "6.º Plan de Acción Nacional de Gobierno Abierto 2023-2025 · Guatemala",
        "Periodo": etiqueta,
        "Fecha de corte": corte.isoformat(),
        "Criterio de avance": parametros["criterio"],
        "Fuente": parametros["fuente"],
    }
    componer_informe(secciones, portada, apendice_metodos(parametros, fuente, sha, corte), carpeta / f"informe_{etiqueta}.pdf")
    _avisar(f"{etiqueta}: PDF compuesto ({time.perf_counter() - t0:.1f} s)")


def apendice_metodos(parametros: dict, fuente: Path, sha256: str, corte: date) -> str:
    """Apéndice de métodos y procedencia (HTML; todo texto variable va escapado)."""
    e = html.escape
    filas = [
        ("Archivo crudo", parametros["fuente"]),
        ("SHA-256 del archivo crudo", sha256),
        ("Versión de analisis", __version__),
        ("Periodo", parametros["periodo"]),
        ("Fecha de corte", corte.isoformat()),
        ("Criterio de avance de un hito", parametros["criterio"]),
    ]
    tabla = "".join(f"<tr><th>{e(k)}</th><td><code>{e(str(v))}</code></td></tr>" for k, v in filas)
    return f"""
<h2>Métodos y procedencia</h2>
<table class="procedencia">{tabla}</table>
<h3>Cómo se calculan las cifras</h3>
<ul>
<li>Solo cuentan los avances registrados hasta el final del día de corte.</li>
<li>El avance de un hito se calcula según el criterio indicado: <em>ultimo</em> (el porcentaje del
avance registrado más recientemente), <em>maximo</em> (el mayor alcanzado) o <em>suma</em> (incrementos
sumados, con tope de 100 %). El avance de un compromiso es la media de sus hitos; un hito sin
avances cuenta 0 %.</li>
<li>Un hito está vencido si su fecha de fin es anterior a la fecha de corte y no está completado.
Una fecha de fin con precisión de mes («Junio 2025») se toma como el último día de ese mes.</li>
<li>La cobertura de evidencia es la proporción de avances con medios de verificación o con un enlace.</li>
</ul>
<h3>Reproducibilidad</h3>
<p>Este informe se regenera byte a byte con <code>analisis informe --periodo {e(parametros["periodo"])}</code>
a partir del archivo crudo identificado arriba por su huella SHA-256. Los cuadernos ejecutados
acompañan al informe en la misma carpeta.</p>
"""


def _reemplazar_carpeta(nueva: Path, destino: Path) -> None:
    """Pone ``nueva`` en lugar de ``destino`` con renombres (la antigua se borra al final)."""
    vieja = None
    if destino.exists():
        vieja = destino.with_name(f".{destino.name}.viejo-{os.getpid()}")
        os.replace(destino, vieja)
    os.replace(nueva, destino)
    # mkdtemp crea la carpeta con permisos 0700; el informe es para leerlo.
    destino.chmod(0o755)
    if vieja is not None:
        shutil.rmtree(vieja)


def periodos_con_datos(fuente: str | Path) -> list[str]:
    """Trimestres con al menos un avance registrado."""
    from ..evaluacion.periodos import periodos_con_datos as _periodos
    from ..lectura.tablero import parsear_archivo

    tablero = parsear_archivo(resolver_fuente(fuente))
    fechas = [date.fromisoformat(a["fecha_registro"][:10]) for a in tablero.avances]
    return [p.etiqueta for p in _periodos(fechas)]


def escribir_indice(salida: str | Path) -> Path:
    """``<salida>/index.html``: cada periodo generado, con su PDF y sus páginas HTML."""
    salida = Path(salida)
    e = html.escape
    bloques = []
    # Un periodo es una carpeta con su informe PDF (la huella de caché no se
    # publica en el repositorio, así que no sirve para reconocerlos).
    for carpeta in sorted(p for p in salida.iterdir() if p.is_dir() and (p / f"informe_{p.name}.pdf").is_file()):
        enlaces = [f'<li><a href="{e(carpeta.name)}/{e(p.name)}">{e(p.stem)}</a></li>' for p in sorted(carpeta.glob("*.html"))]
        pdfs = [f'<a class="pdf" href="{e(carpeta.name)}/{e(p.name)}">Informe PDF</a>' for p in sorted(carpeta.glob("*.pdf"))]
        bloques.append(
            f"<section><h2>Periodo {e(carpeta.name)}</h2><p>{' '.join(pdfs)}</p><ul>{''.join(enlaces)}</ul></section>"
        )
    cuerpo = "".join(bloques) or "<p>Aún no hay informes generados.</p>"
    pagina = f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>Informes de evaluación por periodo</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; border-bottom: 1px solid #ccc; }}
a.pdf {{ font-weight: bold; }}
</style>
</head>
<body>
<h1>Informes de evaluación por periodo</h1>
{cuerpo}
</body>
</html>
"""
    ruta = salida / "index.html"
    ruta.write_text(pagina, encoding="utf-8")
    return ruta
