"""Paquete de datos (Frictionless Data Package) con las tablas del tablero.

``escribir_paquete`` convierte el resultado de :mod:`analisis.tablero` en
``compromisos.csv``, ``hitos.csv``, ``avances.csv``, ``actores.csv``,
``tablero.csv`` y ``datapackage.json``; ``leer_paquete`` los carga con sus tipos.
Los esquemas viven como datos en ``datos/esquema_tablero.json``.

La escritura es atómica (todas las tablas o ninguna) y determinista: los mismos
datos producen los mismos bytes, sin fechas de ejecución ni rutas de la máquina.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errores import ErrorPaquete
from ..escritura import publicar_archivos
from .tablero import Tablero

if TYPE_CHECKING:
    # pandas tarda 0,3-0,5 s en importarse y «analisis parse» no lo necesita:
    # solo lo importa quien lee el paquete.
    import pandas as pd

TABLAS = ("compromisos", "hitos", "avances", "actores", "tablero")


@cache
def esquemas() -> dict[str, dict]:
    """Table Schema de cada tabla, en el orden de las columnas."""
    texto = resources.files("analisis.datos").joinpath("esquema_tablero.json").read_text(encoding="utf-8")
    return json.loads(texto)


def columnas(tabla: str) -> list[str]:
    return [c["name"] for c in esquemas()[tabla]["fields"]]


def _celda(valor: object) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float):
        if valor != valor:  # NaN
            return ""
        texto = repr(valor)
        return texto[:-2] if texto.endswith(".0") else texto
    return str(valor)


def _comillas_por_cr() -> bool:
    """Si ``csv.writer`` pone entre comillas un campo con «\\r» sin que el fin de línea lo tenga.

    Las demás reglas de QUOTE_MINIMAL (separador, comillas y caracteres del fin
    de línea) son fijas; esta se pregunta al módulo csv de la versión de Python
    en uso para que ``csv_bytes`` escriba exactamente sus mismos bytes.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["a\rb"])
    return buffer.getvalue().startswith('"')


_COMILLAS_POR_CR = _comillas_por_cr()


def _linea_csv(celdas: list[str]) -> str:
    linea = ",".join(
        [
            '"' + c.replace('"', '""') + '"'
            if "," in c or '"' in c or "\n" in c or (_COMILLAS_POR_CR and "\r" in c)
            else c
            for c in celdas
        ]
    )
    # csv.writer escribe «""» cuando la fila es un único campo vacío, para que no
    # se confunda con una línea en blanco.
    return '""' if not linea and len(celdas) == 1 else linea


def csv_bytes(filas: list[dict], nombres: list[str]) -> bytes:
    """Serializa filas como CSV UTF-8 con LF, comillas solo donde hacen falta.

    Produce los mismos bytes que ``csv.writer(buffer, lineterminator="\\n")``
    (QUOTE_MINIMAL) pero dos o tres veces más rápido: el escritor de csv
    examina carácter a carácter cada campo, y aquí bastan unas búsquedas de
    subcadena en C por celda.
    """
    lineas = [_linea_csv(nombres)]
    # La mayoría de las celdas ya son texto: _celda(v) las devolvería iguales.
    lineas += [_linea_csv([v if v.__class__ is str else _celda(v) for v in map(fila.get, nombres)]) for fila in filas]
    lineas.append("")  # cada fila, también la última, termina en «\n»
    return "\n".join(lineas).encode("utf-8")


def tablas_csv(t: Tablero) -> dict[str, bytes]:
    """Las cinco tablas como CSV, en el orden de columnas del esquema."""
    return {f"{nombre}.csv": csv_bytes(getattr(t, nombre), columnas(nombre)) for nombre in TABLAS}


def descriptor(t: Tablero, archivos: dict[str, bytes]) -> dict:
    """``datapackage.json``: esquemas, huellas de cada CSV y procedencia del archivo crudo."""
    recursos = []
    for nombre in TABLAS:
        contenido = archivos[f"{nombre}.csv"]
        esquema = dict(esquemas()[nombre])
        descripcion = esquema.pop("description", "")
        recursos.append(
            {
                "name": nombre,
                "path": f"{nombre}.csv",
                "description": descripcion,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(contenido),
                "hash": "sha256:" + hashlib.sha256(contenido).hexdigest(),
                "schema": esquema,
            }
        )
    return {
        "name": "tablero-plan-accion",
        "title": "Tablero del plan de acción de Gobierno Abierto",
        "description": "Tablas extraídas del texto del tablero por analisis; cada fila indica en «linea» la línea del archivo crudo de la que procede.",
        "sources": [
            {
                "title": Path(t.archivo).name,
                "path": Path(t.archivo).name,
                "sha256": t.sha256,
                "encoding": t.codificacion,
            }
        ],
        "x_analisis_version": __version__,
        "resources": recursos,
    }


def paquete_bytes(t: Tablero) -> dict[str, bytes]:
    """Todos los archivos del paquete, en memoria, listos para escribir."""
    archivos = tablas_csv(t)
    texto = json.dumps(descriptor(t, archivos), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    archivos["datapackage.json"] = texto.encode("utf-8")
    return archivos


def escribir_paquete(t: Tablero, carpeta: str | Path) -> list[Path]:
    """Escribe el paquete en ``carpeta`` de forma atómica; devuelve las rutas escritas."""
    return publicar_archivos(carpeta, paquete_bytes(t))


@dataclass
class Tablas:
    """Tablas del tablero cargadas con sus tipos (fechas como datetime64, porcentajes como float)."""

    compromisos: pd.DataFrame
    hitos: pd.DataFrame
    avances: pd.DataFrame
    actores: pd.DataFrame
    tablero: pd.DataFrame
    fuente: dict = field(default_factory=dict)


_TIPOS_PANDAS = {"integer": "int64", "number": "float64"}


def _leer_tabla(ruta: Path, nombre: str) -> pd.DataFrame:
    import pandas as pd

    campos = esquemas()[nombre]["fields"]
    try:
        # Todo como texto primero: los textos vacíos siguen siendo "" y no NaN.
        df = pd.read_csv(ruta, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ErrorPaquete(f"{ruta}: falta la tabla {nombre}; vuelva a ejecutar «analisis parse»") from None
    faltan = [c["name"] for c in campos if c["name"] not in df.columns]
    if faltan:
        raise ErrorPaquete(f"{ruta}: faltan las columnas {', '.join(faltan)}")
    for c in campos:
        col = c["name"]
        if c["type"] == "integer":
            requerido = c.get("constraints", {}).get("required", False)
            serie = pd.to_numeric(df[col].replace("", None))
            df[col] = serie.astype("int64" if requerido else "Int64")
        elif c["type"] == "number":
            df[col] = pd.to_numeric(df[col].replace("", None)).astype("float64")
        elif c["type"] in ("date", "datetime"):
            df[col] = pd.to_datetime(df[col].replace("", None))
        else:
            df[col] = df[col].astype(str)
    return df[[c["name"] for c in campos]]


def leer_paquete(carpeta: str | Path) -> Tablas:
    """Carga un paquete escrito por ``analisis parse``."""
    carpeta = Path(carpeta)
    ruta_descriptor = carpeta / "datapackage.json"
    if not ruta_descriptor.is_file():
        raise ErrorPaquete(f"{carpeta}: no es un paquete de datos (falta datapackage.json); créelo con «analisis parse»")
    descriptor_ = json.loads(ruta_descriptor.read_text(encoding="utf-8"))
    tablas = {n: _leer_tabla(carpeta / f"{n}.csv", n) for n in TABLAS}
    fuente = (descriptor_.get("sources") or [{}])[0]
    return Tablas(**tablas, fuente=fuente)


def tablas_desde_tablero(t: Tablero) -> Tablas:
    """Las mismas tablas que ``leer_paquete`` devolvería, sin pasar por disco."""
    with tempfile.TemporaryDirectory() as temporal:
        for nombre, contenido in paquete_bytes(t).items():
            (Path(temporal) / nombre).write_bytes(contenido)
        return leer_paquete(temporal)
