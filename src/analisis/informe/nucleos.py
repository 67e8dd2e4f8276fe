"""Los núcleos de Jupyter del informe nacen por ``fork`` de un proceso que ya importó lo que usan.

Un núcleo nuevo importa IPython, ipykernel, pandas, matplotlib y los módulos
de los cuadernos: ~1,5 s de CPU, casi todo su arranque, y cada informe arranca
dos. El *servidor de núcleos* (:func:`servir`, un proceso hijo del principal)
lo importa una vez y crea cada núcleo por ``fork``: el núcleo hereda todo eso
ya cargado (y comparte esa memoria con su hermano) y solo abre sus canales.
Con dos núcleos, ~1,3 s de CPU menos por informe, en la máquina de dos núcleos
del proyecto, donde el informe en frío ya usa toda la CPU.

El núcleo que nace así es el mismo que arrancaría jupyter_client
(``python -m ipykernel_launcher -f conexion.json``), con el intérprete que
ejecuta analisis (el que lo tiene instalado, el mismo de la especificación
``python3`` que instala ``scripts/entorno.sh``): la misma aplicación
(``IPKernelApp``) con los mismos argumentos, su propia sesión (``setsid``),
``JPY_PARENT_PID`` (termina si muere su padre), la entrada y las salidas
estándar a ``/dev/null`` y, antes de importar matplotlib, el
``MPLBACKEND`` que ipykernel fijaría (el backend *inline*). ``PYTHONHASHSEED``
no puede cambiar tras el ``fork``: el servidor ya arranca con la del núcleo.

Protocolo: el principal escribe en la entrada del servidor una línea JSON por
núcleo (archivo de conexión, carpeta y argumentos) y lee de su salida una
línea con el pid de cada uno. Si el principal cierra la entrada (al terminar o
al morir), el servidor mata a sus núcleos, los espera y termina.

Necesita ``fork`` (Linux, macOS), como el servidor de los procesos de trabajo.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

#: Lo que el servidor importa antes de crear núcleos: el núcleo mismo y lo que
#: importan los cuadernos del informe.
MODULOS = (
    "IPython",
    "ipykernel.kernelapp",
    "analisis.informe.contexto",
    "analisis.informe.presentacion",
    "analisis.informe.graficos",
    "analisis.informe.resumen",
    "analisis.informe.fichas",
    "analisis.informe.cambios",
    "analisis.informe.enlaces",
    "matplotlib.pyplot",
)

_ERRORES = "errores.txt"
_ORDEN = "import sys; from analisis.informe.nucleos import servir; servir(sys.argv[1])"
_BACKEND_INLINE = "module://matplotlib_inline.backend_inline"


def servir(carpeta: str) -> None:
    """El servidor de núcleos: importa :data:`MODULOS` y crea un núcleo por cada línea de su entrada.

    ``carpeta`` es la de los archivos de conexión: al terminar la borra (también
    si el principal murió sin borrarla).
    """
    import gc
    import importlib

    # Como ipykernel_launcher: la carpeta actual (la del principal) no entra en
    # sys.path, o un «pandas.py» que hubiera allí se importaría en vez de pandas.
    # IPython la vuelve a poner en cada núcleo, que trabaja en la de su periodo.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    # Lo que ipykernel haría al iniciarse, antes de que nadie importe matplotlib
    # (que lee MPLBACKEND al importarse): que pyplot use el backend inline.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = _BACKEND_INLINE
    for modulo in MODULOS:
        importlib.import_module(modulo)
    gc.collect()
    gc.freeze()
    entrada, salida = sys.stdin.buffer, sys.stdout.buffer
    hijos: list[int] = []
    try:
        while linea := entrada.readline():
            pedido = json.loads(linea)
            pid = os.fork()
            if pid == 0:
                _ser_nucleo(pedido)  # no vuelve
            hijos.append(pid)
            salida.write(json.dumps({"pid": pid}).encode() + b"\n")
            salida.flush()
    finally:
        # La entrada se cerró: el principal terminó (o murió). Los núcleos también.
        for pid in hijos:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in hijos:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        shutil.rmtree(carpeta, ignore_errors=True)


def _ser_nucleo(pedido: dict) -> None:
    """En el hijo del ``fork``: lo que haría ``python -m ipykernel_launcher -f ...``."""
    codigo = 1
    try:
        os.setsid()
        nulo = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(nulo, fd)
        os.close(nulo)
        os.chdir(pedido["cwd"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=["-f", pedido["conexion"], *pedido["argumentos"]])
        codigo = 0
    finally:
        os._exit(codigo)


def _conexion_nueva() -> dict:
    """Lo que escribe ``jupyter_client.connect.write_connection_file``: cinco puertos libres y una clave.

    Aquí y no con jupyter_client: importarlo cuesta ~0,2 s en el proceso
    principal justo antes de arrancar el servidor de procesos, que esperaría.
    Como allí, los cinco sockets se abren a la vez, así los puertos son distintos.
    """
    import secrets
    import socket

    sockets = []
    try:
        for _ in range(5):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        puertos = [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()
    nombres = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
    return {
        **dict(zip(nombres, puertos)),
        "ip": "127.0.0.1", "key": secrets.token_hex(16), "transport": "tcp",
        "signature_scheme": "hmac-sha256", "kernel_name": "",
    }


class ServidorDeNucleos:
    """Del lado del principal: arranca el servidor y le pide núcleos, sin esperarlo.

    :meth:`arrancar` devuelve enseguida la información de conexión del núcleo
    pedido (los puertos los elige este proceso); :meth:`pids` espera a que el
    servidor los haya creado. ``entorno`` se suma al de este proceso.
    """

    def __init__(self, entorno: dict[str, str] | None = None):
        # Mismo orden de conjuntos y diccionarios con hash en cada ejecución de
        # los núcleos, que heredan la semilla del servidor.
        variables = {**os.environ, **(entorno or {}), "PYTHONHASHSEED": "0"}
        self._carpeta = tempfile.mkdtemp(prefix="analisis-nucleos-")
        # Sus errores (no los de los núcleos, que van a /dev/null) a un archivo
        # de su carpeta: si no llega a crear los núcleos, se dice por qué.
        with open(Path(self._carpeta) / _ERRORES, "wb") as errores:
            self._proceso = subprocess.Popen(
                [sys.executable, "-Xfrozen_modules=off", "-c", _ORDEN, self._carpeta],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errores, env=variables,
            )
        self._pedidos = 0
        self._pids: list[int] = []

    def arrancar(self, cwd: str, argumentos: list[str]) -> dict:
        archivo = Path(self._carpeta) / f"nucleo-{self._pedidos}.json"
        conexion = _conexion_nueva()
        archivo.write_text(json.dumps(conexion), encoding="utf-8")
        pedido = {"conexion": str(archivo), "cwd": cwd, "argumentos": argumentos}
        self._proceso.stdin.write(json.dumps(pedido).encode() + b"\n")
        self._proceso.stdin.flush()
        self._pedidos += 1
        return conexion

    def pids(self) -> list[int]:
        while len(self._pids) < self._pedidos:
            linea = self._proceso.stdout.readline()
            if not linea:
                codigo = self._proceso.wait()
                try:
                    ultimas = (Path(self._carpeta) / _ERRORES).read_text(encoding="utf-8", errors="replace").strip()
                except OSError:
                    ultimas = ""
                causa = f": {ultimas.splitlines()[-1]}" if ultimas else ""
                raise OSError(f"el servidor de núcleos terminó (código {codigo}) sin crear los núcleos{causa}")
            self._pids.append(json.loads(linea)["pid"])
        return list(self._pids)

    def cerrar(self) -> None:
        """Cierra la entrada del servidor, que mata a sus núcleos, borra su carpeta y termina; si no termina, se lo mata."""
        with contextlib.suppress(OSError):
            self._proceso.stdin.close()
        try:
            self._proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proceso.kill()
            self._proceso.wait()
        self._proceso.stdout.close()
        shutil.rmtree(self._carpeta, ignore_errors=True)
