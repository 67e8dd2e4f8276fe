"""El único escritor de archivos de analisis: todo o nada, nunca a medias.

Toda salida pasa por aquí, para que las garantías se cumplan en un solo sitio:

* un archivo se escribe en un temporal de la misma carpeta y se pone en su
  lugar con ``os.replace``: quien lo lee ve la versión anterior o la nueva
  completa, aunque el proceso muera a mitad;
* un conjunto de archivos (un paquete de datos, unas tablas de métricas) se
  serializa entero en memoria y se escribe en una carpeta temporal hermana
  antes de mover nada.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def escribir_archivo(salida: str | Path, datos: bytes) -> None:
    """Escribe ``datos`` en ``salida`` mediante un temporal en la misma carpeta y ``os.replace``."""
    salida = Path(salida)
    salida.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=salida.parent, prefix=f".{salida.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(datos)
            archivo.flush()
            os.fsync(archivo.fileno())
        # mkstemp crea el archivo con permisos 0600; lo que se publica es para compartir.
        os.chmod(temporal, 0o644)
        os.replace(temporal, salida)
    except BaseException:
        try:
            os.unlink(temporal)
        except FileNotFoundError:
            pass
        raise


def escribir_atomico(carpeta: str | Path, archivos: dict[str, bytes]) -> None:
    """Escribe todos los archivos o ninguno.

    Se escriben primero en una carpeta temporal junto a ``carpeta`` (mismo
    sistema de archivos) y solo al final se mueven con ``os.replace``, que es
    atómico por archivo; un error antes de ese punto no deja nada a medias.
    """
    carpeta = Path(carpeta)
    carpeta.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{carpeta.name}.parcial-", dir=carpeta.parent) as temporal:
        for nombre, contenido in archivos.items():
            (Path(temporal) / nombre).write_bytes(contenido)
        carpeta.mkdir(exist_ok=True)
        for nombre in archivos:
            os.replace(Path(temporal) / nombre, carpeta / nombre)
