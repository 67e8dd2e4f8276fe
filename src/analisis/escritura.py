"""El único escritor de archivos de analisis: todo o nada, nunca a medias.

Toda salida pasa por aquí, para que las garantías se cumplan en un solo sitio:

* un archivo se escribe en un temporal de la misma carpeta y se pone en su
  lugar con ``os.replace``: quien lo lee ve la versión anterior o la nueva
  completa, aunque el proceso muera a mitad;
* un conjunto de archivos (un paquete de datos, unas tablas de métricas, un
  informe) se publica en una carpeta de salida con dueño (:class:`Salida`).
"""

from __future__ import annotations

import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path


# -- fecha fija para los bytes reproducibles ------------------------------------------------
#
# Aquí, en la capa de abajo, porque la usan los gráficos (matplotlib) y el PDF
# (WeasyPrint): quien solo maqueta un PDF no tiene por qué importar matplotlib.

#: Fecha fija (1 ene 2000) para lo que no admite quitar la fecha.
EPOCA_REPRODUCIBLE = "946684800"

# os.environ es global al proceso: dos hilos no deben pisarse al poner y quitar
# SOURCE_DATE_EPOCH.
_CANDADO_FECHA = threading.Lock()


@contextmanager
def fecha_reproducible():
    """Fija ``SOURCE_DATE_EPOCH`` mientras dura el bloque (si el entorno no la fija ya).

    Al incrustar fuentes recortadas (PDF de matplotlib con ``pdf.fonttype`` 42,
    PDF de WeasyPrint), fontTools graba la hora actual en la tabla ``head`` de
    cada fuente, y el archivo cambia de un segundo a otro. fontTools y
    matplotlib respetan esta variable, la convención de *reproducible builds*.
    """
    with _CANDADO_FECHA:
        definida = "SOURCE_DATE_EPOCH" in os.environ
        if not definida:
            os.environ["SOURCE_DATE_EPOCH"] = EPOCA_REPRODUCIBLE
        try:
            yield
        finally:
            if not definida:
                os.environ.pop("SOURCE_DATE_EPOCH", None)


def _borrar(ruta: str | Path) -> None:
    try:
        os.unlink(ruta)
    except FileNotFoundError:
        pass


def _temporal_junto_a(salida: Path, datos: bytes) -> str:
    """Un temporal con ``datos``, ya en disco, en la carpeta de ``salida``.

    En la misma carpeta, para que publicarlo sea un renombre (o un enlace)
    atómico dentro de un mismo sistema de archivos.
    """
    salida.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=salida.parent, prefix=f".{salida.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(datos)
            archivo.flush()
            os.fsync(archivo.fileno())
        # mkstemp crea el archivo con permisos 0600; lo que se publica es para compartir.
        os.chmod(temporal, 0o644)
    except BaseException:
        _borrar(temporal)
        raise
    return temporal


def escribir_archivo(salida: str | Path, datos: bytes) -> None:
    """Escribe ``datos`` en ``salida`` mediante un temporal en la misma carpeta y ``os.replace``."""
    salida = Path(salida)
    temporal = _temporal_junto_a(salida, datos)
    try:
        os.replace(temporal, salida)
    except BaseException:
        _borrar(temporal)
        raise


# -- carpetas de salida con dueño ---------------------------------------------------------
#
# ``analisis parse --out``, ``analisis metricas --out`` e ``analisis informe
# --salida`` escriben en carpetas que pueden contener archivos del usuario (o
# ser la carpeta de trabajo). Cada carpeta de salida lleva un manifiesto con
# los archivos que analisis creó y su SHA-256. Las reglas:
#
# * solo se reemplaza lo que figura en el manifiesto; un archivo o carpeta ajeno
#   en el camino es un error (estado 2) y no se toca nada;
# * lo nuevo se prepara entero en una carpeta temporal oculta dentro de la de
#   salida (mismo sistema de archivos) y se publica con renombres: una carpeta
#   de informe se intercambia de una vez (``renameat2(RENAME_EXCHANGE)``), así
#   que nunca falta ni queda mezclada;
# * antes de renombrar se escribe un diario con el manifiesto nuevo: si el
#   proceso muere (SIGKILL) a mitad de la publicación, la siguiente ejecución
#   (o lectura) la completa; si muere antes, la carpeta temporal se borra y
#   queda la salida anterior completa;
# * un cerrojo (``flock``) impide que dos ejecuciones publiquen a la vez en la
#   misma carpeta: la segunda espera y dice a qué proceso espera.

import ctypes
import errno
import fcntl
import hashlib
import json
import shutil
import sys

from .errores import AnalisisError, motivo_sistema

MANIFIESTO = ".analisis-manifiesto.json"
DIARIO = ".analisis-diario.json"
CERROJO = ".analisis-cerrojo"
PREFIJO_TEMPORAL = ".analisis-tmp-"
# Lo que analisis deja dentro de sus carpetas y no es un resultado (no va en el manifiesto).
PROPIOS = {MANIFIESTO, DIARIO, CERROJO, ".huella"}


class ErrorSalida(AnalisisError):
    """La carpeta de salida no se puede usar (no es carpeta, sin permiso, algo ajeno en el camino)."""


def sha256_archivo(ruta: Path) -> str:
    h = hashlib.sha256()
    with open(ruta, "rb") as archivo:
        for bloque in iter(lambda: archivo.read(1 << 20), b""):
            h.update(bloque)
    return h.hexdigest()


def _archivos_de(carpeta: Path, prefijo: str = "") -> dict[str, str]:
    """Cada archivo bajo ``carpeta`` (ruta relativa con «/») con su SHA-256, sin los propios de analisis."""
    resultado = {}
    for ruta in sorted(carpeta.rglob("*")):
        if ruta.is_file() and ruta.name not in PROPIOS:
            resultado[prefijo + ruta.relative_to(carpeta).as_posix()] = sha256_archivo(ruta)
    return resultado


def _renombrar_intercambiando(a: Path, b: Path) -> bool:
    """Intercambia dos rutas de una vez (Linux ``renameat2``); ``False`` si el sistema no lo permite."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def validar_carpeta_salida(carpeta: str | Path, opcion: str) -> Path:
    """Comprueba que ``carpeta`` puede ser una carpeta de salida; error claro si no."""
    texto = str(carpeta)
    if not texto.strip():
        raise ErrorSalida(f"{opcion}: falta la carpeta de salida (se dio un texto vacío)")
    ruta = Path(carpeta)
    if ruta.is_symlink():
        raise ErrorSalida(f"{opcion} {ruta}: es un enlace simbólico; indique la carpeta real")
    if ruta.exists() and not ruta.is_dir():
        raise ErrorSalida(f"{opcion} {ruta}: existe y no es una carpeta")
    existente = ruta
    while not existente.exists():
        existente = existente.parent
    if not existente.is_dir():
        raise ErrorSalida(f"{opcion} {ruta}: {existente} no es una carpeta")
    if not os.access(existente, os.W_OK | os.X_OK):
        raise ErrorSalida(f"{opcion} {ruta}: no hay permiso de escritura en {existente}")
    return ruta


class Salida:
    """Una carpeta de salida con dueño, tomada con cerrojo mientras dura el ``with``.

    Uso::

        with Salida(carpeta, "--out") as salida:
            salida.comprobar(["a.csv", "b.csv"])        # antes de trabajar: nada ajeno en el camino
            temporal = salida.temporal()                 # preparar ahí lo nuevo
            ...
            salida.publicar(["a.csv", "b.csv"])          # todo a la vez

    Varias publicaciones en un mismo ``with`` (``analisis informe --todos``
    publica cada periodo en cuanto está listo) usan una carpeta temporal cada
    una: ``salida.temporal("2025-T1")`` y ``salida.publicar([...], temporal="2025-T1")``.
    Publicar borra su carpeta temporal y no toca las demás.
    """

    def __init__(self, carpeta: str | Path, opcion: str = "--out"):
        self.carpeta = validar_carpeta_salida(carpeta, opcion)
        self.opcion = opcion
        self._cerrojo: int | None = None
        self._temporales: dict[str, Path] = {}

    # -- cerrojo y recuperación ------------------------------------------------------------

    def __enter__(self) -> "Salida":
        try:
            self.carpeta.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.carpeta / CERROJO, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ErrorSalida(f"{self.opcion} {self.carpeta}: no se puede escribir ({motivo_sistema(exc)})") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            otro = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "desconocido"
            print(
                f"analisis: {self.carpeta}: otra ejecución (proceso {otro}) está escribiendo aquí; se espera a que termine",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        self._cerrojo = descriptor
        recuperar(self.carpeta, con_cerrojo=True)
        return self

    def __exit__(self, tipo, valor, traza) -> None:
        for temporal in self._temporales.values():
            shutil.rmtree(temporal, ignore_errors=True)
        self._temporales.clear()
        if self._cerrojo is not None:
            os.ftruncate(self._cerrojo, 0)
            fcntl.flock(self._cerrojo, fcntl.LOCK_UN)
            os.close(self._cerrojo)
            self._cerrojo = None

    # -- lo que es nuestro -----------------------------------------------------------------

    def manifiesto(self) -> dict[str, str]:
        return leer_manifiesto(self.carpeta)

    def comprobar(self, entradas: list[str]) -> None:
        """Error si una entrada (archivo o carpeta) existe y no la creó analisis."""
        propios = self.manifiesto()
        for entrada in entradas:
            destino = self.carpeta / entrada
            if not (destino.exists() or destino.is_symlink()):
                continue
            if destino.is_dir() and not destino.is_symlink():
                ajenos = [
                    f"{entrada}/{r}" for r in _archivos_de(destino) if f"{entrada}/{r}" not in propios
                ]
                if ajenos:
                    raise ErrorSalida(
                        f"{self.opcion}: {self.carpeta / ajenos[0]} no lo creó analisis y se perdería al "
                        f"reemplazar {destino}; muévalo o elija otra carpeta de salida"
                    )
            elif entrada not in propios:
                raise ErrorSalida(
                    f"{self.opcion}: {destino} ya existe y no lo creó analisis; no se sobrescribe "
                    "(muévalo o elija otra carpeta de salida)"
                )

    def temporal(self, clave: str = "") -> Path:
        """Carpeta oculta dentro de la de salida donde preparar lo nuevo (se borra al salir).

        Cada ``clave`` tiene la suya, para preparar varias publicaciones a la vez.
        """
        if clave not in self._temporales:
            nueva = Path(tempfile.mkdtemp(prefix=PREFIJO_TEMPORAL, dir=self.carpeta))
            nueva.chmod(0o755)
            self._temporales[clave] = nueva
        return self._temporales[clave]

    def publicar(self, entradas: list[str], obsoletas: list[str] = (), temporal: str = "") -> None:
        """Pone en su lugar, a la vez, cada entrada preparada en :meth:`temporal` (la de clave ``temporal``).

        ``obsoletas`` son entradas nuestras que ya no se generan y se retiran.
        """
        self.comprobar(list(entradas) + list(obsoletas))
        clave = temporal
        temporal = self.temporal(clave)
        anterior = self.manifiesto()
        nuevo = {k: v for k, v in anterior.items() if _entrada_de(k) not in set(entradas) | set(obsoletas)}
        for entrada in entradas:
            origen = temporal / entrada
            if origen.is_dir():
                nuevo.update(_archivos_de(origen, f"{entrada}/"))
            else:
                nuevo[entrada] = sha256_archivo(origen)
        diario = {"temporal": temporal.name, "entradas": list(entradas), "obsoletas": list(obsoletas), "manifiesto": nuevo}
        escribir_archivo(self.carpeta / DIARIO, _json(diario))
        _aplicar(self.carpeta, diario)
        del self._temporales[clave]  # _aplicar ya la borró


def _entrada_de(ruta: str) -> str:
    return ruta.split("/", 1)[0]


def _json(valor) -> bytes:
    return (json.dumps(valor, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def leer_manifiesto(carpeta: Path) -> dict[str, str]:
    ruta = Path(carpeta) / MANIFIESTO
    if not ruta.is_file():
        return {}
    try:
        return dict(json.loads(ruta.read_text(encoding="utf-8"))["archivos"])
    except (ValueError, KeyError, TypeError):
        raise ErrorSalida(f"{ruta}: manifiesto ilegible; no se sabe qué archivos creó analisis aquí") from None


def _coincide(ruta: Path, prefijo: str, manifiesto: dict[str, str]) -> bool:
    """¿El contenido de ``ruta`` es exactamente lo que el manifiesto dice de la entrada ``prefijo``?"""
    if ruta.is_dir():
        esperados = {k: v for k, v in manifiesto.items() if _entrada_de(k) == prefijo}
        return _archivos_de(ruta, f"{prefijo}/") == esperados
    return ruta.is_file() and manifiesto.get(prefijo) == sha256_archivo(ruta)


def _aplicar(carpeta: Path, diario: dict) -> None:
    """Publica lo que dice el diario; es idempotente, para poder repetirlo tras una muerte a mitad."""
    temporal = carpeta / diario["temporal"]
    nuevo = diario["manifiesto"]
    for entrada in diario["entradas"]:
        destino, origen = carpeta / entrada, temporal / entrada
        if _coincide(destino, entrada, nuevo):
            continue  # ya publicado antes de morir
        if not origen.exists():
            raise ErrorSalida(f"{carpeta}: publicación interrumpida e irrecuperable de {entrada}; vuelva a generar")
        if origen.is_dir() and destino.is_dir():
            if not _renombrar_intercambiando(origen, destino):
                viejo = temporal / f".viejo-{entrada}"
                os.replace(destino, viejo)
                os.replace(origen, destino)
        else:
            os.replace(origen, destino)
    for entrada in diario.get("obsoletas", []):
        destino = carpeta / entrada
        if destino.is_dir() and not destino.is_symlink():
            shutil.rmtree(destino)
        elif destino.exists():
            destino.unlink()
    escribir_archivo(carpeta / MANIFIESTO, _json({"archivos": dict(sorted(nuevo.items()))}))
    os.unlink(carpeta / DIARIO)
    shutil.rmtree(temporal, ignore_errors=True)


def recuperar(carpeta: str | Path, con_cerrojo: bool = False) -> None:
    """Completa una publicación que un proceso muerto dejó a medias y borra temporales huérfanos."""
    carpeta = Path(carpeta)
    if not con_cerrojo:
        if not (carpeta / DIARIO).exists() and not any(carpeta.glob(PREFIJO_TEMPORAL + "*")):
            return
        with Salida(carpeta):
            return  # __enter__ ya recuperó, con el cerrojo tomado
    diario_ruta = carpeta / DIARIO
    if diario_ruta.is_file():
        try:
            diario = json.loads(diario_ruta.read_text(encoding="utf-8"))
        except ValueError:
            # El diario se escribe de forma atómica: ilegible solo si alguien lo tocó.
            raise ErrorSalida(f"{diario_ruta}: diario de publicación ilegible") from None
        print(f"analisis: {carpeta}: se completa una publicación interrumpida", file=sys.stderr, flush=True)
        _aplicar(carpeta, diario)
    for huerfana in carpeta.glob(PREFIJO_TEMPORAL + "*"):
        shutil.rmtree(huerfana, ignore_errors=True)


def publicar_archivos(carpeta: str | Path, archivos: dict[str, bytes], opcion: str = "--out") -> list[Path]:
    """Escribe un conjunto de archivos en una carpeta de salida con dueño, todos a la vez."""
    with Salida(carpeta, opcion) as salida:
        salida.comprobar(list(archivos))
        temporal = salida.temporal()
        for nombre, contenido in archivos.items():
            (temporal / nombre).parent.mkdir(parents=True, exist_ok=True)
            (temporal / nombre).write_bytes(contenido)
            os.chmod(temporal / nombre, 0o644)
        salida.publicar(sorted({_entrada_de(n) for n in archivos}))
    return [Path(carpeta) / n for n in archivos]


def escribir_archivo_nuevo(salida: str | Path, datos: bytes) -> None:
    """Como :func:`escribir_archivo`, pero nunca reemplaza un archivo que ya exista.

    El temporal se publica con ``os.link``, que falla con ``FileExistsError`` si
    el destino existe (incluso si otro proceso lo crea entre la comprobación y
    la escritura); se usa para lo que no se debe pisar nunca: una plantilla que
    alguien ya rellenó, una observación fechada. Es un archivo suelto del
    usuario, no una carpeta de salida con manifiesto.
    """
    salida = Path(salida)
    temporal = _temporal_junto_a(salida, datos)
    try:
        os.link(temporal, salida)
    finally:
        _borrar(temporal)
