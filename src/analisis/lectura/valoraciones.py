"""Archivo de valoraciones de un evaluador: lectura y validación.

Las valoraciones son el juicio de quien evalúa, no datos del tablero: viven
aparte de las capturas crudas (``data/valoraciones/<plan>/``) y nunca se
mezclan con ellas. El archivo es un CSV UTF-8 con una fila por compromiso y
por hito; sus columnas y valores admitidos están en el Table Schema
``datos/esquema_valoraciones.json``, que es la única definición: este módulo
lo lee y aplica sus restricciones (``required``, ``enum``, ``pattern``,
fechas) y dos reglas que un Table Schema no puede expresar:

* ``x_niveles``: la columna solo admite valor en filas de esos niveles
  (``potencial`` y ``resultados`` son de compromisos, como en el IRM);
* el ``id`` debe existir en el paquete de datos que se evalúa.

Una celda vacía significa «sin valorar». Las columnas ``x_solo_lectura``
(``titulo``, ``completitud_sugerida``) están para orientar a quien valora y
no se validan. Los valores se aceptan sin distinguir mayúsculas, tildes ni
espacios frente a guiones bajos («Sí», «Sin evidencia»), porque quien los
escribe suele usar una hoja de cálculo; se guardan siempre en su forma
canónica (``si``, ``sin_evidencia``).

El primer error detiene la lectura con :class:`ErrorEntrada`
(``archivo:línea: columna «c»: motivo: «valor»``); la línea es la del archivo
donde empieza la fila, contando la cabecera como línea 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errores import ErrorEntrada
from .rutas import leer_bytes

NIVEL_COMPROMISO = "compromiso"
NIVEL_HITO = "hito"


@cache
def esquema() -> dict:
    """El Table Schema del archivo de valoraciones."""
    texto = resources.files("analisis.datos").joinpath("esquema_valoraciones.json").read_text(encoding="utf-8")
    return json.loads(texto)


def columnas() -> list[str]:
    """Columnas del archivo, en el orden de la plantilla."""
    return [c["name"] for c in esquema()["fields"]]


def campo(nombre: str) -> dict:
    return next(c for c in esquema()["fields"] if c["name"] == nombre)


def valores_admitidos(nombre: str) -> tuple[str, ...]:
    """Valores de una columna con lista cerrada, de menor a mayor cuando hay orden (completitud)."""
    return tuple(campo(nombre).get("constraints", {}).get("enum", ()))


def etiqueta(nombre: str, valor: str) -> str:
    """Forma legible de un valor canónico («sin_evidencia» → «sin evidencia»); vacío si no hay valor."""
    if not valor:
        return ""
    return campo(nombre).get("x_etiquetas", {}).get(valor, valor)


def _clave_valor(texto: str) -> str:
    """Forma de comparación: sin tildes, en minúsculas, con espacios y guiones como «_»."""
    sin_tildes = "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn")
    return re.sub(r"[\s\-_]+", "_", sin_tildes.casefold().strip())


@dataclass(frozen=True)
class Valoraciones:
    """Valoraciones leídas y validadas.

    ``tabla`` tiene una fila por compromiso u hito valorado, con las columnas
    del evaluador en forma canónica (vacío = sin valorar), ``compromiso``
    (entero), ``hito_id`` (vacío en filas de compromiso) y ``linea`` (línea del
    archivo de valoraciones donde empieza la fila).
    """

    archivo: str  # nombre del archivo (sin carpetas: así aparece en informes y alertas)
    sha256: str
    tabla: pd.DataFrame


COLUMNAS_TABLA = [
    "nivel",
    "id",
    "compromiso",
    "hito_id",
    "completitud",
    "potencial",
    "resultados",
    "evidencia_verificada",
    "nota",
    "evaluador",
    "fecha_valoracion",
    "linea",
]


def _decodificar(ruta: Path, datos: bytes) -> str:
    try:
        return datos.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        linea = datos.count(b"\n", 0, exc.start) + 1
        raise ErrorEntrada(ruta, linea, "el archivo no está en UTF-8 (guárdelo como «CSV UTF-8»)") from None


def _filas(ruta: Path, texto: str):
    """(línea de inicio, celdas) de cada registro CSV no vacío, empezando por la cabecera."""
    lector = csv.reader(io.StringIO(texto, newline=""), strict=True)
    anterior = 0
    try:
        for celdas in lector:
            inicio, anterior = anterior + 1, lector.line_num
            if any(c.strip() for c in celdas):
                yield inicio, celdas
    except csv.Error as exc:
        raise ErrorEntrada(ruta, anterior + 1, f"CSV mal formado ({exc})") from None


def _validar_celda(ruta: Path, linea: int, c: dict, crudo: str, nivel: str) -> str:
    """Valor canónico de una celda o :class:`ErrorEntrada` que nombra la columna."""
    nombre = c["name"]
    valor = crudo.strip()
    restricciones = c.get("constraints", {})
    if not valor:
        if restricciones.get("required"):
            raise ErrorEntrada(ruta, linea, f"columna «{nombre}»: no puede quedar vacía")
        return ""
    if nivel and c.get("x_niveles") and nivel not in c["x_niveles"]:
        raise ErrorEntrada(
            ruta, linea, f"columna «{nombre}»: solo se valora en filas de {' o '.join(c['x_niveles'])}, no de {nivel}", valor
        )
    if "enum" in restricciones:
        por_clave = {_clave_valor(v): v for v in restricciones["enum"]}
        canonico = por_clave.get(_clave_valor(valor))
        if canonico is None:
            raise ErrorEntrada(
                ruta, linea, f"columna «{nombre}»: valor no admitido (admitidos: {', '.join(restricciones['enum'])})", valor
            )
        return canonico
    if "pattern" in restricciones and not re.fullmatch(restricciones["pattern"], valor):
        raise ErrorEntrada(ruta, linea, f"columna «{nombre}»: formato no válido", valor)
    if c["type"] == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", valor):
                raise ValueError
            date.fromisoformat(valor)
        except ValueError:
            raise ErrorEntrada(ruta, linea, f"columna «{nombre}»: fecha no válida, se espera AAAA-MM-DD", valor) from None
    return valor


def leer_valoraciones(ruta: str | Path, compromisos: Iterable[int], hitos: Iterable[str]) -> Valoraciones:
    """Lee y valida ``ruta`` frente a los compromisos y hitos del paquete de datos evaluado."""
    ruta = Path(ruta)
    datos = leer_bytes(ruta, "no existe el archivo de valoraciones", "es una carpeta, no un archivo de valoraciones")
    return valoraciones_de_bytes(ruta, datos, compromisos, hitos)


def valoraciones_de_bytes(ruta: str | Path, datos: bytes, compromisos: Iterable[int], hitos: Iterable[str]) -> Valoraciones:
    """Como :func:`leer_valoraciones` con el contenido ya leído (``ruta`` solo nombra el archivo en los errores)."""
    ruta = Path(ruta)
    texto = _decodificar(ruta, datos)
    filas = _filas(ruta, texto)
    cabecera = next(filas, None)
    if cabecera is None:
        raise ErrorEntrada(ruta, 1, "el archivo está vacío; créelo con «analisis valoraciones plantilla»")
    linea_cabecera, nombres = cabecera[0], [n.strip() for n in cabecera[1]]
    esperadas = columnas()
    for nombre in nombres:
        if nombre not in esperadas:
            raise ErrorEntrada(ruta, linea_cabecera, f"columna desconocida (válidas: {', '.join(esperadas)})", nombre)
        if nombres.count(nombre) > 1:
            raise ErrorEntrada(ruta, linea_cabecera, "columna repetida", nombre)
    faltan = [n for n in esperadas if n not in nombres]
    if faltan:
        raise ErrorEntrada(ruta, linea_cabecera, f"faltan las columnas {', '.join(faltan)}")

    ids = {NIVEL_COMPROMISO: {str(int(c)) for c in compromisos}, NIVEL_HITO: {str(h) for h in hitos}}
    campos = [c for c in esquema()["fields"] if not c.get("x_solo_lectura")]
    vistas: dict[tuple[str, str], int] = {}
    registros = []
    for linea, celdas in filas:
        if len(celdas) != len(nombres):
            raise ErrorEntrada(ruta, linea, f"la fila tiene {len(celdas)} celdas y la cabecera {len(nombres)}")
        crudas = dict(zip(nombres, celdas))
        registro = {"linea": linea}
        nivel = ""
        for c in campos:
            registro[c["name"]] = valor = _validar_celda(ruta, linea, c, crudas[c["name"]], nivel)
            if c["name"] == "nivel":
                nivel = valor
        clave = (nivel, registro["id"])
        if registro["id"] not in ids[nivel]:
            raise ErrorEntrada(ruta, linea, f"columna «id»: el {nivel} no existe en el paquete de datos", registro["id"])
        if clave in vistas:
            raise ErrorEntrada(ruta, linea, f"columna «id»: el {nivel} ya se valoró en la línea {vistas[clave]}", registro["id"])
        vistas[clave] = linea
        registro["compromiso"] = int(registro["id"].split(".")[0])
        registro["hito_id"] = registro["id"] if nivel == NIVEL_HITO else ""
        registros.append(registro)
    tabla = pd.DataFrame(registros, columns=COLUMNAS_TABLA).astype({"compromiso": "int64", "linea": "int64"})
    for nombre in COLUMNAS_TABLA:
        if nombre not in ("compromiso", "linea"):
            tabla[nombre] = tabla[nombre].astype("str")
    return Valoraciones(archivo=ruta.name, sha256=hashlib.sha256(datos).hexdigest(), tabla=tabla)
