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
    """Descarta la salida de errores de este proceso mientras papermill ejecuta un cuaderno.

    El núcleo ya escribe en ``/dev/null`` (ver :mod:`analisis.informe.nucleos`);
    lo que esto calla son los avisos que papermill, nbclient y jupyter_client
    registran aquí con ``logging`` (un núcleo que muere, un mensaje
    inesperado) y que no ayudan a quien genera un informe. Los errores de verdad
    llegan igual: papermill los devuelve como excepción, que el principal da en
    una línea.
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


# Lo que un núcleo recién nacido ejecuta al iniciarse (``exec_lines`` de
# IPKernelApp), antes de atender al cliente: ``gc.freeze`` aparta de las
# colecciones de basura lo que dejó su arranque (ver _celda_reinicio). Los
# módulos de los cuadernos ya vienen importados del servidor de núcleos
# (:mod:`analisis.informe.nucleos`). Una sola línea: es un valor de la línea de
# órdenes del núcleo.
_CALENTAR = "__import__('gc').collect(); __import__('gc').freeze()"


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


def _vigilar_padre(parar) -> None:
    """Si el proceso principal muere (p. ej. SIGKILL) o pide parar, este proceso termina enseguida.

    Si el principal muere sin avisar, nadie les mandaría parar a los procesos
    de trabajo, que seguirían esperando tareas. Un hilo vigía mira si el
    principal cerró su extremo de ``parar`` (un tubo: lo cierra tras un error,
    y el sistema lo cierra al morir). No basta SIGTERM con un manejador de
    Python: la señal puede llegarle a otro hilo (los de ZeroMQ) y el manejador
    no correría mientras el hilo principal espera una tarea; ni un ``Event``,
    cuyo cerrojo puede quedar tomado por un hilo vigía que muere con su
    proceso. Los núcleos terminan con el servidor de núcleos, que los mata
    cuando el principal cierra su entrada o muere (ver :mod:`analisis.informe.nucleos`).
    """
    import threading

    def vigia() -> None:
        parar.poll(None)
        os._exit(1)

    threading.Thread(target=vigia, daemon=True).start()


class _NucleoAjeno:
    """Lo que nbclient pide al gestor de un núcleo que arrancó (y cerrará) el proceso principal.

    Con un gestor que ya tiene núcleo, nbclient no arranca otro; no lo cierra
    porque no es suyo (``owns_km``), y el cliente es el conectado del motor
    «analisis» (:func:`_registrar_motor`).
    """

    has_kernel = True

    def __init__(self, kc):
        self._kc = kc

    def client(self, **_):
        return self._kc

    async def is_alive(self) -> bool:
        return await self._kc.is_alive()


def _trabajador(conexion: dict, nucleo: int, tareas, resultados, parar) -> None:
    """Proceso de trabajo: ejecuta en un núcleo (el de ``conexion``) todos los cuadernos que le toquen, de cualquier periodo.

    Cada tarea puede traer un ``despues`` (función y argumentos) que este
    proceso aplica al cuaderno ejecutado, p. ej. escribirlo con su página HTML y
    maquetar su sección del PDF; al principal le llega lo que devuelve. Así ese
    trabajo se reparte entre los procesos de trabajo, mientras el otro núcleo
    sigue, en vez de hacerse todo en el principal. Lo que ``despues`` necesita
    ya viene importado del servidor de procesos (ver :func:`_arrancar_servidor`).
    """
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_core.utils import run_sync

    _vigilar_padre(parar)
    # Un cliente para todos los cuadernos (ver _registrar_motor).
    kc = AsyncKernelClient()
    kc.load_connection_info(conexion)
    kc.start_channels()
    try:
        motor = _registrar_motor()
        # Listo cuando responde (tras su exec_lines: ver _CALENTAR).
        run_sync(kc.wait_for_ready)(timeout=60)
        km = _NucleoAjeno(kc)
        while (tarea := tareas.get()) is not None:
            clave, entrada, parametros, carpeta, despues = tarea
            try:
                if entrada is None:  # un encargo (ver GrupoDeNucleos.encargar): sin cuaderno ni núcleo
                    inicio = time.perf_counter()
                    resultado = despues[0](*despues[1])
                    segundos = time.perf_counter() - inicio
                else:
                    nb, segundos = _ejecutar_con_nucleo(entrada, parametros, carpeta, km, kc, motor)
                    resultado = nb if despues is None else despues[0](Path(entrada), nb, *despues[1])
                resultados.put((clave, entrada, resultado, segundos, None, nucleo))
            except Exception as exc:  # el proceso principal decide; aquí solo se informa
                error = str(exc) if isinstance(exc, AnalisisError) else repr(exc)
                if entrada is None:  # de un encargo, que trae su descripción donde un cuaderno trae parámetros
                    descripcion = parametros
                    error = f"{clave}: falló {descripcion}: {error}"
                resultados.put((clave, entrada, None, 0.0, error, nucleo))
    finally:
        kc.stop_channels()


def _argumentos_del_nucleo() -> list[str]:
    """Los argumentos de IPKernelApp de cada núcleo.

    Sin historial de IPython: dos núcleos que arrancan a la vez (los de este
    informe u otros de la máquina) chocan en su base SQLite compartida y el
    aviso «Session/line number was not unique» acabaría en el cuaderno.
    """
    return ["--HistoryManager.enabled=False", f"--IPKernelApp.exec_lines={[_CALENTAR]!r}"]


#: Variable de entorno de los núcleos con la carpeta donde comparten las
#: evaluaciones con el proceso principal (la lee :func:`analisis.informe.contexto.evaluar`).
#: Aquí y no en contexto.py, que importa pandas: el principal pide los núcleos antes.
VARIABLE_COMPARTIDAS = "ANALISIS_EVALUACIONES_COMPARTIDAS"

#: Lo que todo proceso de trabajo importa, además de la ``precarga`` de quien crea el grupo.
#: Primero este paquete: ``analisis.informe`` aparta ``rfc3987_syntax`` antes de
#: que nbformat importe jsonschema (sin eso, ~1,5 s más de CPU en el servidor).
_PRECARGA = ("analisis.informe.ejecucion", "jupyter_client.manager", "papermill", "nbformat")


def _contexto(precarga: tuple[str, ...] = ()):
    import multiprocessing

    contexto = multiprocessing.get_context("forkserver")
    contexto.set_forkserver_preload([*_PRECARGA, *precarga])
    return contexto


def _arrancar_servidor() -> None:
    """Arranca, sin esperarlo, el servidor del que nacen los procesos de trabajo.

    Es el *forkserver* de ``multiprocessing``: un proceso limpio (sin hilos ni
    núcleos) que importa :data:`_PRECARGA` y los módulos de la precarga dada a
    :func:`_contexto` una vez y crea cada proceso de trabajo por ``fork``, con
    todo eso ya cargado. Con ``spawn``, cada proceso de trabajo lo importaba
    por su cuenta (~1,3 s de CPU cada uno). Hay un servidor por proceso
    principal, con la precarga que había al arrancarlo; termina cuando termina
    el principal.
    """
    from multiprocessing import forkserver

    forkserver.ensure_running()


@dataclass(frozen=True)
class Llegada:
    """Un cuaderno ejecutado por el grupo: de qué tarea (``clave``), cuánto tardó y en qué núcleo (pid).

    ``resultado`` es el cuaderno ejecutado o, si la tarea traía ``despues``, lo
    que devolvió esa función. Un encargo (:meth:`GrupoDeNucleos.encargar`)
    llega sin ``cuaderno``, con lo que devolvió su función.
    """

    clave: str
    cuaderno: Path | None
    resultado: object
    segundos: float
    nucleo: int


class GrupoDeNucleos:
    """``procesos`` procesos de trabajo, cada uno con un núcleo que reutiliza para todas las tareas.

    Arrancar los procesos y los núcleos cuesta unos segundos de CPU; un solo
    grupo para todos los cuadernos de todos los periodos los paga una vez y no
    una vez por periodo. Uso::

        with GrupoDeNucleos(2, carpeta) as grupo:
            grupo.enviar("2025-T1", cuaderno, parametros, carpeta_del_periodo)
            ...
            llegada = grupo.recibir()   # el próximo cuaderno terminado, de la tarea que sea

    Lo que hay que hacer con cada cuaderno ejecutado (``despues`` de
    :meth:`enviar`) lo hace su proceso de trabajo, no el principal. Los
    procesos nacen del servidor de :func:`_arrancar_servidor`, con ``precarga``
    ya importada; los núcleos, del servidor de núcleos
    (:class:`analisis.informe.nucleos.ServidorDeNucleos`), hijo de este proceso.

    Al salir del ``with`` (también por un error) los procesos y sus núcleos
    terminan; si el proceso principal muere, terminan solos enseguida (el
    sistema cierra el tubo de parar y la entrada del servidor de núcleos).
    ``entorno`` son variables de más para los núcleos.
    """

    def __init__(self, procesos: int, cwd: Path, precarga: tuple[str, ...] = (), entorno: dict[str, str] | None = None):
        self._cwd = os.path.abspath(cwd)
        self._entorno = dict(entorno or {})
        self._procesos = max(1, procesos)
        self._contexto = _contexto(tuple(precarga))
        self._tareas, self._resultados = self._contexto.Queue(), self._contexto.Queue()
        # Solo los hijos reciben el extremo de lectura; cerrar el de escritura los para.
        self._parar, self._escritor = self._contexto.Pipe(duplex=False)
        self._servidor_de_nucleos = None
        self._conexiones: list[dict] = []
        self._hijos: list = []
        self._arranque = None
        self._fallo_de_arranque: BaseException | None = None

    def __enter__(self) -> "GrupoDeNucleos":
        import threading

        from .nucleos import ServidorDeNucleos

        try:
            # Primero los núcleos, que son lo que más tarda en estar listo; el
            # servidor de procesos carga a la vez (ver _arrancar_servidor). Los
            # dos servidores importan en paralelo y este proceso no los espera.
            self._servidor_de_nucleos = ServidorDeNucleos(self._entorno)
            self._conexiones = [
                self._servidor_de_nucleos.arrancar(self._cwd, _argumentos_del_nucleo()) for _ in range(self._procesos)
            ]
            _arrancar_servidor()
        except BaseException:
            self.cerrar_nucleos()
            raise
        # Crear los procesos espera a los dos servidores; mientras, este
        # proceso puede encolar tareas y hacer su parte (las tablas, el apéndice).
        self._arranque = threading.Thread(target=self._arrancar_hijos, name="arranque-de-trabajo")
        self._arranque.start()
        return self

    def _arrancar_hijos(self) -> None:
        try:
            pids = self._servidor_de_nucleos.pids()
            self._hijos = [
                self._contexto.Process(
                    target=_trabajador, args=(conexion, pid, self._tareas, self._resultados, self._parar), daemon=True
                )
                for conexion, pid in zip(self._conexiones, pids)
            ]
            for hijo in self._hijos:
                hijo.start()
        except BaseException as exc:  # se da en recibir o al salir, en el hilo principal
            self._fallo_de_arranque = exc

    def esperar_arranque(self) -> None:
        """Espera a que los dos servidores estén listos y los procesos de trabajo, creados."""
        if self._arranque is not None:
            self._arranque.join()
        if self._fallo_de_arranque is not None:
            raise AnalisisError(f"no se pudieron crear los procesos de trabajo: {self._fallo_de_arranque}")

    def cerrar_nucleos(self) -> None:
        """Cierra los núcleos ya, antes que los procesos de trabajo (que pueden seguir con encargos).

        Se puede llamar más de una vez (al salir del ``with`` se llama siempre).
        """
        # Sin esperar a que terminen con calma: el resultado ya está (o ya falló).
        # Sin silenciar la salida de errores: el núcleo ya escribe en /dev/null
        # desde que arrancó, y este cierre corre en otro hilo mientras el
        # principal avisa de lo que publica.
        if self._servidor_de_nucleos is not None:
            self._servidor_de_nucleos.cerrar()

    def enviar(self, clave: str, cuaderno: Path, parametros: dict, carpeta: Path, despues=None) -> None:
        """Encola ``cuaderno`` para ejecutarlo con ``parametros`` en ``carpeta``; las tareas salen en orden.

        ``despues``, si se da, es ``(funcion, argumentos)``: el proceso de
        trabajo llama ``funcion(cuaderno, nb_ejecutado, *argumentos)`` y lo que
        devuelve es el ``resultado`` de la :class:`Llegada`.
        """
        # Absolutas: el núcleo cambia de carpeta en cada cuaderno (ver _celda_reinicio).
        self._tareas.put((clave, os.path.abspath(cuaderno), parametros, os.path.abspath(carpeta), despues))

    def encargar(self, clave: str, funcion, argumentos: tuple, descripcion: str) -> None:
        """Encola ``funcion(*argumentos)`` para el próximo proceso de trabajo libre, sin cuaderno ni núcleo.

        Sale en orden con los cuadernos. Es para trabajo con lo que los procesos
        ya traen cargado (WeasyPrint: el apéndice, la unión del PDF): el
        principal no tiene que importarlo. Si falla, el error dice ``clave`` y
        ``descripcion`` («2025-T2: falló la unión del PDF: ...»).
        """
        self._tareas.put((clave, None, descripcion, None, (funcion, argumentos)))

    def recibir(self) -> Llegada:
        """El próximo cuaderno terminado; un error es un :class:`AnalisisError` de una línea."""
        self.esperar_arranque()
        clave, entrada, resultado, segundos, error, nucleo = _siguiente(self._resultados, self._hijos)
        if error is not None:
            raise AnalisisError(error)
        return Llegada(clave, None if entrada is None else Path(entrada), resultado, segundos, nucleo)

    def __exit__(self, tipo, valor, traza) -> None:
        if self._arranque is not None:
            self._arranque.join()
        arrancados = [hijo for hijo in self._hijos if hijo.pid is not None]
        if tipo is None and self._fallo_de_arranque is None:
            # Sin error: cada proceso termina su última tarea y sale.
            for _ in arrancados:
                self._tareas.put(None)
            for hijo in arrancados:
                hijo.join(timeout=10)
        # Tras un error (o si alguno no terminó): cada vigía termina su proceso
        # en cuanto se cierra el tubo; SIGKILL como último recurso.
        self._escritor.close()
        for hijo in arrancados:
            hijo.join(timeout=5)
            if hijo.is_alive():
                hijo.kill()
                hijo.join()
        self.cerrar_nucleos()
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
