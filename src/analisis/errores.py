"""Excepciones del paquete.

Todas derivan de :class:`AnalisisError`, de modo que la CLI puede capturar los
errores previstos (datos mal formados, parámetros inválidos) y mostrarlos en una
línea, con estado de salida 2, sin traza de Python.
"""

from __future__ import annotations

import errno
from pathlib import Path

# Motivos de los errores del sistema más habituales, en español: el texto de
# ``os.strerror`` sale en el idioma de la biblioteca C (casi siempre inglés).
MOTIVOS_SISTEMA = {
    errno.ENOENT: "no existe el archivo o la carpeta",
    errno.EACCES: "permiso denegado",
    errno.EPERM: "operación no permitida",
    errno.EROFS: "el sistema de archivos es de solo lectura",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se agotó la cuota de disco",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.EISDIR: "es una carpeta",
    errno.EEXIST: "ya existe",
    errno.ELOOP: "demasiados enlaces simbólicos encadenados",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.EIO: "error de entrada/salida del dispositivo",
}


def motivo_sistema(exc: OSError) -> str:
    """El motivo de un error del sistema en español (o el del sistema, si no se conoce)."""
    return MOTIVOS_SISTEMA.get(exc.errno, exc.strerror or str(exc))


class AnalisisError(Exception):
    """Base de todos los errores previstos de analisis."""


class ErrorEntrada(AnalisisError):
    """Un archivo de entrada no se puede interpretar.

    El mensaje sigue la convención de los compiladores: ``archivo:línea: motivo: «texto»``,
    para que el usuario encuentre de inmediato qué corregir.
    """

    def __init__(self, archivo: str | Path, linea: int | None, motivo: str, texto: str | None = None):
        self.archivo = str(archivo)
        self.linea = linea
        self.motivo = motivo
        self.texto = texto
        lugar = self.archivo if linea is None else f"{self.archivo}:{linea}"
        mensaje = f"{lugar}: {motivo}"
        if texto is not None:
            recorte = texto if len(texto) <= 120 else texto[:117] + "..."
            mensaje += f": «{recorte}»"
        super().__init__(mensaje)


class ErrorFecha(AnalisisError):
    """Una fecha no se reconoce o no existe en el calendario (p. ej. 31/02/2025).

    ``motivo`` va sin el texto de la fecha: el analizador del tablero lo usa en su
    propio mensaje ``archivo:línea: motivo: «línea»`` sin repetir la fecha.
    """

    def __init__(self, motivo: str, texto: str):
        self.motivo = motivo
        self.texto = texto
        super().__init__(f"{motivo}: «{texto}»")


class ErrorParametro(AnalisisError):
    """Un parámetro de la CLI o de un cuaderno no es válido (periodo, corte, criterio...)."""


class ErrorPaquete(AnalisisError):
    """Un paquete de datos (datapackage) no existe, está incompleto o no cumple su esquema."""


class AvisoCodificacion(UserWarning):
    """El archivo no es UTF-8 y se leyó como Windows-1252: la CLI lo muestra como aviso en español."""
