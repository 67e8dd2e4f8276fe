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
from dataclasses import dataclass
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
# el espacio de nombres del anterior, reinicia el contador de ejecución y se
# sitúa en la carpeta del informe del cuaderno (un mismo núcleo ejecuta
# cuadernos de varios periodos, cada uno con su carpeta y su copia de datos/),
# de modo que el resultado es el mismo que con un núcleo nuevo (así lo
# comprueba nbval, que reejecuta cada cuaderno de referencia en un núcleo
# limpio). Se quita del cuaderno ejecutado.
#
# ``%reset`` llama dos veces a ``gc.collect``, que recorre todos los objetos
# vivos del núcleo (pandas, matplotlib, IPython: cientos de miles); tras el
# reset, lo que sigue vivo es de larga vida (módulos, cachés del contexto), y
# ``gc.freeze`` lo aparta de las colecciones siguientes: la del próximo reset
# y las automáticas durante las celdas solo recorren lo que creó el último
# cuaderno. Sobre los ocho cuadernos de un periodo en un núcleo, la CPU del
# núcleo baja de ~4,5 s a ~3,2 s. La basura se sigue recogiendo igual.
def _celda_reinicio(carpeta: str) -> str:
    return (
        'get_ipython().run_line_magic("reset", "-f")\n'
        "__import__('gc').freeze()\n"
        f"__import__('os').chdir({carpeta!r})\n"
        "get_ipython().execution_count = 1"
    )


_ID_REINICIO = "analisis-reinicio-del-nucleo"


# Lo que un cuaderno deja en su núcleo (sus tablas, sus figuras) se suelta en
# cuanto termina, y no al empezar el siguiente: el núcleo que ya no tiene más
# cuadernos esperaría con esa memoria mientras el proceso principal maqueta el
# PDF. ``devolver_memoria`` devuelve además al sistema lo que quedó libre en el
# montón: tras el cronograma de 500 compromisos, unos 220 MB que ni ``%reset`` ni
# ``gc.collect`` devuelven. Se pide aparte, no es una celda del cuaderno: no
# cambia nada de lo que se ejecuta (el reinicio del cuaderno siguiente vacía
# igual el espacio de nombres, ya vacío).
_SOLTAR = """\
get_ipython().run_line_magic("reset", "-f")
__import__("analisis.informe.memoria", fromlist=["devolver_memoria"]).devolver_memoria()
"""


# Módulos que importan los cuadernos. Un núcleo recién arrancado los importa
# (pandas, matplotlib, jinja2: ~1 s) mientras su proceso de trabajo importa
# papermill, y no en la primera celda del primer cuaderno. Solo importa: no
# deja nombres en el espacio del usuario, no cambia opciones ni dibuja nada (el
# reinicio de cada cuaderno vacía igual el espacio de nombres). Después
# ``gc.freeze`` aparta lo importado de las colecciones de basura (ver
# _celda_reinicio).
_CALENTAR = """\
for _m in ("analisis.informe.contexto", "analisis.informe.presentacion", "analisis.informe.graficos",
           "analisis.informe.resumen", "analisis.informe.fichas", "analisis.informe.cambios",
           "analisis.informe.enlaces", "matplotlib.pyplot"):
    __import__("importlib").import_module(_m)
del _m
__import__("gc").collect()
__import__("gc").freeze()
"""


def _registrar_motor() -> str:
    """Registra en papermill el motor «analisis», que ejecuta con un cliente del núcleo ya conectado.

    El motor de omisión (nbclient) crea un cliente nuevo para cada cuaderno y
    espera a que el núcleo esté listo: pide ``kernel_info`` y vacía el canal
    IOPub hasta que pasan 0,2 s sin mensajes, unos 0,2-0,4 s de espera por
    cuaderno con el núcleo ocioso. El núcleo de un proceso de trabajo ya está
    listo y su cliente conectado: este motor es el de papermill (mismo
    ``PapermillNotebookClient``, mismas celdas, mismos metadatos) con ese
    cliente. Cada celda espera sus propios mensajes (por el id de su petición),
    así que los restos del cuaderno anterior en el canal se descartan.
    """
    from jupyter_core.utils import run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class ClienteConectado(PapermillNotebookClient):
        def __init__(self, nb_man, kc, **kw):
            super().__init__(nb_man, **kw)
            self._conectado = kc

        async def async_start_new_kernel_client(self):
            self.kc = self._conectado
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        # nbclient define la versión síncrona, la que usa papermill, sobre la función de su clase.
        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class MotorConCliente(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
            start_timeout=60, execution_timeout=None, **kwargs,
        ):
            # Lo mismo que NBClientEngine.execute_managed_notebook, con el cliente ``kc``.
            kc = kwargs.pop("kc")
            kwargs = remove_args(["input_path"], **kwargs)
            final = merge_kwargs(
                remove_args(["timeout", "startup_timeout"], **kwargs),
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return ClienteConectado(nb_man, kc, **final).execute()

    papermill_engines.register("analisis", MotorConCliente)
    return "analisis"


def _ejecutar_con_nucleo(entrada: str, parametros: dict, cwd: str, km, kc=None, motor=None) -> tuple[dict, float]:
    """Ejecuta un cuaderno con papermill sobre el núcleo ``km`` ya arrancado, en la carpeta ``cwd``.

    Con ``kc`` (un cliente conectado y listo) y ``motor`` (el de
    :func:`_registrar_motor`), papermill no crea un cliente por cuaderno.
    """
    import nbformat
    import papermill

    inicio = time.perf_counter()
    nb = nbformat.read(entrada, as_version=4)
    reinicio = nbformat.v4.new_code_cell(_celda_reinicio(cwd))
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
                # El núcleo envía lo impreso cada 0,2 s: un print que se detiene
                # entre su texto y su salto de línea (una máquina cargada) saldría
                # en dos salidas en vez de una. Unidas, los bytes no dependen de
                # cuándo se envió cada trozo.
                coalesce_streams=True,
                **({"engine_name": motor, "kc": kc} if kc is not None else {}),
            )
    except papermill.PapermillExecutionError as exc:
        raise AnalisisError(
            f"{Path(entrada).name}: falló la celda {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None
    if kc is not None:
        # Sin esperar la respuesta: el núcleo lo hace mientras este proceso entrega el cuaderno.
        kc.execute(_SOLTAR, silent=True, store_history=False)
    ejecutado.cells = [c for c in ejecutado.cells if c.get("id") != _ID_REINICIO]
    return limpiar_cuaderno(dict(ejecutado)), time.perf_counter() - inicio


def _matar_nucleo(km) -> None:
    with contextlib.suppress(Exception):
        if km is not None and km.has_kernel:
            km.provisioner.process.kill()


def _vigilar_padre(km, parar) -> None:
    """Si el proceso principal muere (p. ej. SIGKILL) o pide parar, este proceso y su núcleo terminan en ~1 s.

    Los procesos de trabajo son hijos del principal; si este muere sin
    avisar, nadie les mandaría parar y seguirían esperando tareas, con su
    núcleo vivo. Un hilo vigía mira si el padre cambió (adoptado por otro) o
    si el principal cerró su extremo de ``parar`` (un tubo: tras un error, o
    al morir). No basta SIGTERM con un manejador de Python: la señal puede
    llegarle a otro hilo (los de ZeroMQ) y el manejador no correría mientras
    el hilo principal espera una tarea; ni un ``Event``, cuyo cerrojo puede
    quedar tomado por un hilo vigía que muere con su proceso.
    """
    import threading

    padre = os.getppid()

    def vigia() -> None:
        while not parar.poll(0.5):
            if os.getppid() != padre:
                break
        _matar_nucleo(km)
        os._exit(1)

    threading.Thread(target=vigia, daemon=True).start()


def _trabajador(cwd: str, tareas, resultados, parar, preparar=None) -> None:
    """Proceso de trabajo: un núcleo para todos los cuadernos que le toquen, de cualquier periodo.

    Cada tarea puede traer un ``despues`` (función y argumentos) que este
    proceso aplica al cuaderno ejecutado, p. ej. escribirlo con su página HTML y
    maquetar su sección del PDF; al principal le llega lo que devuelve. Así ese
    trabajo se reparte entre los procesos de trabajo, mientras el otro núcleo
    sigue, en vez de hacerse todo en el principal. ``preparar`` se llama una
    vez mientras el núcleo arranca (importar lo que ``despues`` necesitará).
    """
    # Mismo orden de conjuntos y diccionarios con hash en cada ejecución del núcleo.
    os.environ["PYTHONHASHSEED"] = "0"
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name="python3")
    kc = None
    _vigilar_padre(km, parar)
    try:
        # El núcleo arranca ya, antes de importar papermill y nbformat: mientras
        # este proceso los importa, el núcleo (otro proceso) importa ipykernel.
        # Con la salida de errores descartada, como si lo arrancara papermill.
        # Sin historial de IPython: dos núcleos que arrancan a la vez (los de
        # este informe u otros de la máquina) chocan en su base SQLite
        # compartida y el aviso «Session/line number was not unique» acabaría
        # en el cuaderno.
        with _silenciar_nucleo():
            run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.enabled=False"])
        nucleo = km.provisioner.process.pid
        # Un cliente para todos los cuadernos (ver _registrar_motor). La petición
        # de calentar sale ya: el núcleo la atiende en cuanto arranca, mientras
        # aquí se importan papermill y nbformat.
        kc = km.client()
        kc.start_channels()
        kc.execute(_CALENTAR, silent=True, store_history=False)
        motor = _registrar_motor()
        import nbformat  # noqa: F401

        if preparar is not None:
            preparar()
        # Lista cuando responde (tras calentar: el núcleo atiende las peticiones en orden).
        run_sync(kc.wait_for_ready)(timeout=60)
        while (tarea := tareas.get()) is not None:
            clave, entrada, parametros, carpeta, despues = tarea
            try:
                nb, segundos = _ejecutar_con_nucleo(entrada, parametros, carpeta, km, kc, motor)
                resultado = nb if despues is None else despues[0](Path(entrada), nb, *despues[1])
                resultados.put((clave, entrada, resultado, segundos, None, nucleo))
            except Exception as exc:  # el proceso principal decide; aquí solo se informa
                error = str(exc) if isinstance(exc, AnalisisError) else repr(exc)
                resultados.put((clave, entrada, None, 0.0, error, nucleo))
    finally:
        if kc is not None:
            kc.stop_channels()
        if km.has_kernel:
            with _silenciar_nucleo():
                run_sync(km.shutdown_kernel)(now=True)


@dataclass(frozen=True)
class Llegada:
    """Un cuaderno ejecutado por el grupo: de qué tarea (``clave``), cuánto tardó y en qué núcleo (pid).

    ``resultado`` es el cuaderno ejecutado o, si la tarea traía ``despues``, lo
    que devolvió esa función.
    """

    clave: str
    cuaderno: Path
    resultado: object
    segundos: float
    nucleo: int


class GrupoDeNucleos:
    """``procesos`` procesos de trabajo, cada uno con un núcleo que reutiliza para todas las tareas.

    Arrancar un núcleo e importar pandas y matplotlib cuesta unos 2 s; un solo
    grupo para todos los cuadernos de todos los periodos paga ese coste una vez
    por proceso y no una vez por periodo. Uso::

        with GrupoDeNucleos(2, carpeta) as grupo:
            grupo.enviar("2025-T1", cuaderno, parametros, carpeta_del_periodo)
            ...
            llegada = grupo.recibir()   # el próximo cuaderno terminado, de la tarea que sea

    Lo que hay que hacer con cada cuaderno ejecutado (``despues`` de
    :meth:`enviar`) lo hace su proceso de trabajo, no el principal.

    Al salir del ``with`` (también por un error) los procesos y sus núcleos
    terminan; si el proceso principal muere, terminan solos en ~1 s.
    """

    def __init__(self, procesos: int, cwd: Path, preparar=None):
        import multiprocessing

        contexto = multiprocessing.get_context("spawn")
        self._tareas, self._resultados = contexto.Queue(), contexto.Queue()
        # Solo los hijos reciben el extremo de lectura; cerrar el de escritura los para.
        self._parar, self._escritor = contexto.Pipe(duplex=False)
        self._hijos = [
            contexto.Process(
                target=_trabajador,
                args=(os.path.abspath(cwd), self._tareas, self._resultados, self._parar, preparar),
                daemon=True,
            )
            for _ in range(max(1, procesos))
        ]

    def __enter__(self) -> "GrupoDeNucleos":
        for hijo in self._hijos:
            hijo.start()
        return self

    def enviar(self, clave: str, cuaderno: Path, parametros: dict, carpeta: Path, despues=None) -> None:
        """Encola ``cuaderno`` para ejecutarlo con ``parametros`` en ``carpeta``; las tareas salen en orden.

        ``despues``, si se da, es ``(funcion, argumentos)``: el proceso de
        trabajo llama ``funcion(cuaderno, nb_ejecutado, *argumentos)`` y lo que
        devuelve es el ``resultado`` de la :class:`Llegada`.
        """
        # Absolutas: el núcleo cambia de carpeta en cada cuaderno (ver _celda_reinicio).
        self._tareas.put((clave, os.path.abspath(cuaderno), parametros, os.path.abspath(carpeta), despues))

    def recibir(self) -> Llegada:
        """El próximo cuaderno terminado; un error es un :class:`AnalisisError` de una línea."""
        clave, entrada, resultado, segundos, error, nucleo = _siguiente(self._resultados, self._hijos)
        if error is not None:
            raise AnalisisError(error)
        return Llegada(clave, Path(entrada), resultado, segundos, nucleo)

    def __exit__(self, tipo, valor, traza) -> None:
        if tipo is None:
            # Sin error: cada proceso termina su última tarea, cierra su núcleo y sale.
            for _ in self._hijos:
                self._tareas.put(None)
            for hijo in self._hijos:
                hijo.join(timeout=10)
        # Tras un error (o si alguno no terminó): cada vigía mata su núcleo y su
        # proceso en ~0,5 s; SIGKILL como último recurso.
        self._escritor.close()
        for hijo in self._hijos:
            hijo.join(timeout=5)
            if hijo.is_alive():
                hijo.kill()
                hijo.join()
        for cola in (self._tareas, self._resultados):
            cola.cancel_join_thread()
            cola.close()
        self._parar.close()


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
