"""analisis: evaluación independiente del avance de planes de acción de Gobierno Abierto."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("analisis")
except PackageNotFoundError:  # ejecutado desde el árbol de fuentes sin instalar
    __version__ = "0.0.0"
