"""Ejecución de cuadernos con papermill en procesos de trabajo, cada uno con un núcleo que reutiliza.

Los cuadernos ejecutados se limpian de lo que cambia entre ejecuciones (horas,
duraciones, ids aleatorios) para que sus bytes sean reproducibles.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

from ..errores import AnalisisError


def avisar(mensaje: str) -> None:
    print(f"analisis: {mensaje}", file=sys.stderr, flush=True)


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


def _vigilar_padre(km) -> None:
    """Si el proceso principal muere (p. ej. SIGKILL), este proceso y su núcleo terminan en ~1 s.

    Los procesos de trabajo son hijos del principal; si este muere sin
    avisar, nadie les mandaría parar y seguirían esperando tareas, con su
    núcleo vivo. Un hilo vigía mira si el padre cambió (adoptado por otro).
    """
    import threading

    padre = os.getppid()

    def vigia() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != padre:
                with contextlib.suppress(Exception):
                    if km.has_kernel:
                        km.provisioner.process.kill()
                os._exit(1)

    threading.Thread(target=vigia, daemon=True).start()


def _trabajador(cwd: str, parametros: dict, tareas, resultados) -> None:
    """Proceso de trabajo: un núcleo para todos los cuadernos que le toquen."""
    # Mismo orden de conjuntos y diccionarios con hash en cada ejecución del núcleo.
    os.environ["PYTHONHASHSEED"] = "0"
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name="python3")
    _vigilar_padre(km)
    try:
        # El núcleo arranca ya, antes de importar papermill y nbformat: mientras
        # este proceso los importa, el núcleo (otro proceso) importa ipykernel.
        # Con el mismo directorio y la salida de errores descartada, como si lo
        # arrancara papermill. Sin historial de IPython: dos núcleos que arrancan
        # a la vez (los de este informe u otros de la máquina) chocan en su base
        # SQLite compartida y el aviso «Session/line number was not unique»
        # acabaría en el cuaderno.
        with _silenciar_nucleo():
            run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.enabled=False"])
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


def ejecutar_cuadernos(
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
    avisar(f"{etiqueta}: ejecutando {total} cuadernos en {procesos} proceso(s)")
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
            avisar(f"{etiqueta}: [{i}/{total}] {Path(entrada).name} ({segundos:.1f} s)")
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
