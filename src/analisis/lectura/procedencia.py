"""De dónde y cuándo se capturó un archivo crudo, para la portada del informe.

La nota de procedencia vive junto al crudo (``data/raw/<archivo>.procedencia.json``).
Este módulo es el único que la lee: si su formato cambia (por ejemplo, a
metadatos por captura), solo cambia :func:`procedencia_de`.

La fecha de captura del tablero incluido no se conoce. No se inventa: si la
nota no trae una fecha ISO, se dice «desconocida; posterior a» la fecha de
registro más reciente de los datos, que es lo único seguro.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .rutas import raiz_proyecto

_RE_URL = re.compile(r"https?://[^\s)»\"]+")


@dataclass(frozen=True)
class Procedencia:
    url: str  # "" si la nota no da ninguna
    captura: str  # texto para el lector: fecha ISO, o «desconocida; posterior a …»


def _ruta_nota(nombre_crudo: str) -> Path | None:
    try:
        ruta = raiz_proyecto() / "data" / "raw" / f"{nombre_crudo}.procedencia.json"
    except Exception:  # fuera del repositorio: no hay nota que leer
        return None
    return ruta if ruta.is_file() else None


def procedencia_de(nombre_crudo: str, ultimo_registro: datetime | date | None = None) -> Procedencia:
    """La URL del tablero y la fecha de captura de ``nombre_crudo`` (el nombre del archivo crudo)."""
    ruta = _ruta_nota(nombre_crudo)
    nota = json.loads(ruta.read_text(encoding="utf-8")) if ruta else {}
    url = _RE_URL.search(str(nota.get("fuente", "")))
    captura = str(nota.get("fecha_captura", "")).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?", captura):
        if ultimo_registro is not None:
            formato = "%Y-%m-%d %H:%M:%S" if isinstance(ultimo_registro, datetime) else "%Y-%m-%d"
            captura = f"desconocida; posterior a {ultimo_registro.strftime(formato)} (el registro más reciente de los datos)"
        else:
            captura = "desconocida"
    return Procedencia(url.group(0) if url else "", captura)
