"""Paquete de datos (Frictionless Data Package) con las tablas del tablero.

``escribir_paquete`` convierte una captura analizada (:mod:`.tablero`) o un
historial de capturas (:mod:`.historial`) en ``capturas.csv``,
``compromisos.csv``, ``hitos.csv``, ``avances.csv``, ``actores.csv``,
``tablero.csv``, ``reportados.csv``, ``cambios.csv``, ``enlaces.csv`` (las
observaciones de enlaces de la carpeta del plan, :mod:`.enlaces`) y ``datapackage.json``;
``leer_paquete`` los carga con sus tipos. Los esquemas viven como datos en
``datos/esquema_tablero.json``. Una sola captura es un historial de una.

La escritura es atómica (todas las tablas o ninguna) y determinista: los mismos
datos producen los mismos bytes, sin fechas de ejecución ni rutas de la máquina.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errores import ErrorPaquete
from ..escritura import publicar_archivos
from .fechas import ANIO_MAX, ANIO_MIN
from .historial import Historial, historial_de_tablero
from .tablero import COMPROMISO_MAX, Tablero

if TYPE_CHECKING:
    # pandas tarda 0,3-0,5 s en importarse y «analisis parse» no lo necesita:
    # solo lo importa quien lee el paquete.
    import pandas as pd

TABLAS = ("capturas", "compromisos", "hitos", "avances", "actores", "tablero", "reportados", "cambios", "enlaces")


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


def _filas_capturas(h: Historial) -> list[dict]:
    return [
        {
            "captura": n,
            "fecha_captura": c.fecha.isoformat() if c.fecha is not None else "",
            "fecha_captura_minima": c.fecha_minima.isoformat() if c.fecha_minima is not None else "",
            "fuente": c.fuente or "",
            "archivo": c.archivo.name,
            "sha256": c.sha256,
        }
        for n, c in enumerate(h.capturas, start=1)
    ]


def _historial(datos: Tablero | Historial) -> Historial:
    return datos if isinstance(datos, Historial) else historial_de_tablero(datos)


def tablas_csv(datos: Tablero | Historial) -> dict[str, bytes]:
    """Todas las tablas como CSV, en el orden de columnas del esquema."""
    h = _historial(datos)
    t = h.actual
    filas = {
        "capturas": _filas_capturas(h),
        "compromisos": t.compromisos,
        "hitos": t.hitos,
        "avances": t.avances,
        "actores": t.actores,
        "tablero": h.contadores,
        "reportados": h.reportados,
        "cambios": h.cambios,
        "enlaces": h.enlaces,
    }
    return {f"{nombre}.csv": csv_bytes(filas[nombre], columnas(nombre)) for nombre in TABLAS}


def descriptor(datos: Tablero | Historial, archivos: dict[str, bytes]) -> dict:
    """``datapackage.json``: esquemas, huellas de cada CSV y procedencia de cada captura (la más antigua primero)."""
    h = _historial(datos)
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
    fuentes = []
    for c in h.capturas:
        fuente = {"title": c.archivo.name, "path": c.archivo.name, "sha256": c.sha256}
        if c.archivo.name == Path(h.actual.archivo).name:
            fuente["encoding"] = h.actual.codificacion
        fuentes.append(fuente)
    return {
        "name": "tablero-plan-accion",
        "title": "Tablero del plan de acción de Gobierno Abierto",
        "description": (
            "Tablas extraídas del texto del tablero por analisis; cada fila indica en «linea» la línea del "
            "archivo crudo de la que procede (el de la captura más reciente, salvo en reportados, tablero y cambios)."
        ),
        "sources": fuentes,
        "x_analisis_version": __version__,
        # Archivos de observación de enlaces copiados en enlaces.csv, con su huella.
        "x_observaciones_enlaces": h.archivos_enlaces,
        "resources": recursos,
    }


def paquete_bytes(datos: Tablero | Historial) -> dict[str, bytes]:
    """Todos los archivos del paquete, en memoria, listos para escribir."""
    h = _historial(datos)
    archivos = tablas_csv(h)
    texto = json.dumps(descriptor(h, archivos), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    archivos["datapackage.json"] = texto.encode("utf-8")
    return archivos


def escribir_paquete(datos: Tablero | Historial, carpeta: str | Path) -> list[Path]:
    """Escribe el paquete en ``carpeta`` de forma atómica; devuelve las rutas escritas."""
    return publicar_archivos(carpeta, paquete_bytes(datos))


@dataclass
class Tablas:
    """Tablas del tablero cargadas con sus tipos (fechas como datetime64, porcentajes como float).

    ``fuente`` es la procedencia de la captura más reciente, de la que salen las
    tablas actuales; ``capturas`` las lista todas.
    """

    capturas: pd.DataFrame
    compromisos: pd.DataFrame
    hitos: pd.DataFrame
    avances: pd.DataFrame
    actores: pd.DataFrame
    tablero: pd.DataFrame
    reportados: pd.DataFrame
    cambios: pd.DataFrame
    enlaces: pd.DataFrame
    fuente: dict = field(default_factory=dict)


_TIPOS_PANDAS = {"integer": "int64", "number": "float64"}


# Un entero de una tabla: solo dígitos 0-9 y como mucho 15 cifras, para que quepa
# en int64 (y en float64 sin perder precisión). Los números de compromiso, además,
# hasta COMPROMISO_MAX, como al leer el texto del tablero.
_RE_ENTERO = re.compile(r"-?[0-9]{1,15}")


def _valor_invalido(ruta: Path, df: pd.DataFrame, malos: pd.Series, col: str, motivo: str) -> ErrorPaquete:
    """Error que nombra la primera fila (desde 1, sin la cabecera) con un valor inválido en ``col``."""
    fila = int(malos.to_numpy().argmax())
    return ErrorPaquete(f"{ruta}: fila {fila + 1}, columna {col}: {motivo}: «{str(df[col].iloc[fila])[:60]}»")


def _leer_tabla(ruta: Path, nombre: str) -> pd.DataFrame:
    import pandas as pd

    campos = esquemas()[nombre]["fields"]
    try:
        # Todo como texto primero: los textos vacíos siguen siendo "" y no NaN.
        df = pd.read_csv(ruta, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ErrorPaquete(f"{ruta}: falta la tabla {nombre}; vuelva a ejecutar «analisis parse»") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ErrorPaquete(f"{ruta}: la tabla {nombre} no es un CSV UTF-8 legible ({type(exc).__name__})") from None
    faltan = [c["name"] for c in campos if c["name"] not in df.columns]
    if faltan:
        raise ErrorPaquete(f"{ruta}: faltan las columnas {', '.join(faltan)}")
    for c in campos:
        col = c["name"]
        restricciones = c.get("constraints", {})
        vacios = df[col] == ""
        if restricciones.get("required") and c["type"] != "string" and vacios.any():
            raise _valor_invalido(ruta, df, vacios, col, "falta un valor obligatorio")
        if c["type"] == "integer":
            malos = ~(vacios | df[col].str.fullmatch(_RE_ENTERO))
            if malos.any():
                raise _valor_invalido(ruta, df, malos, col, "no es un entero de hasta 15 cifras 0-9")
            serie = pd.to_numeric(df[col].replace("", None))
            if col == "compromiso" and (serie > COMPROMISO_MAX).any():
                raise _valor_invalido(ruta, df, serie > COMPROMISO_MAX, col, f"número de compromiso mayor que {COMPROMISO_MAX}")
            df[col] = serie.astype("int64" if restricciones.get("required") else "Int64")
        elif c["type"] == "number":
            serie = pd.to_numeric(df[col].replace("", None), errors="coerce").astype("float64")
            malos = (serie.isna() & ~vacios) | (serie.abs() == float("inf"))
            if "minimum" in restricciones:
                malos |= serie < restricciones["minimum"]
            if "maximum" in restricciones:
                malos |= serie > restricciones["maximum"]
            if malos.any():
                raise _valor_invalido(ruta, df, malos, col, "número no válido o fuera de rango")
            df[col] = serie
        elif c["type"] in ("date", "datetime"):
            formato = "%Y-%m-%d" if c["type"] == "date" else "%Y-%m-%dT%H:%M:%S"
            serie = pd.to_datetime(df[col].replace("", None), format=formato, errors="coerce")
            malos = (serie.isna() & ~vacios) | ~(serie.dt.year.between(ANIO_MIN, ANIO_MAX) | serie.isna())
            if malos.any():
                raise _valor_invalido(ruta, df, malos, col, f"fecha no válida o fuera de {ANIO_MIN}-{ANIO_MAX}")
            df[col] = serie
        else:
            df[col] = df[col].astype(str)
    return df[[c["name"] for c in campos]]


def leer_descriptor(carpeta: str | Path) -> dict:
    """El ``datapackage.json`` de un paquete escrito por ``analisis parse``; error claro si falta o está roto."""
    ruta_descriptor = Path(carpeta) / "datapackage.json"
    if not ruta_descriptor.is_file():
        raise ErrorPaquete(f"{carpeta}: no es un paquete de datos (falta datapackage.json); créelo con «analisis parse»")
    try:
        descriptor_ = json.loads(ruta_descriptor.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ErrorPaquete(f"{ruta_descriptor}: no es un JSON UTF-8 válido; vuelva a crear el paquete con «analisis parse»") from None
    if not isinstance(descriptor_, dict) or not isinstance(descriptor_.get("resources", []), list):
        raise ErrorPaquete(f"{ruta_descriptor}: no es el descriptor de un paquete de datos")
    return descriptor_


def leer_archivos(carpeta: str | Path) -> dict[str, bytes]:
    """Los bytes del paquete (descriptor y cada tabla), comprobando el SHA-256 que registra el descriptor.

    Es la lectura de quien copia el paquete tal cual (el informe): una tabla
    editada a mano o escrita a medias se detecta antes de usarla.
    """
    carpeta = Path(carpeta)
    leer_descriptor(carpeta)
    archivos = {"datapackage.json": (carpeta / "datapackage.json").read_bytes()}
    for recurso in json.loads(archivos["datapackage.json"]).get("resources", []):
        ruta = carpeta / str(recurso.get("path", ""))
        try:
            contenido = ruta.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ErrorPaquete(f"{ruta}: falta la tabla {recurso.get('name')}; vuelva a ejecutar «analisis parse»") from None
        if recurso.get("hash") and recurso["hash"] != "sha256:" + hashlib.sha256(contenido).hexdigest():
            raise ErrorPaquete(
                f"{ruta}: su SHA-256 no es el que registra datapackage.json (¿editada a mano o escrita a medias?); "
                "vuelva a ejecutar «analisis parse»"
            )
        archivos[recurso["path"]] = contenido
    return archivos


def leer_paquete(carpeta: str | Path) -> Tablas:
    """Carga un paquete escrito por ``analisis parse``."""
    carpeta = Path(carpeta)
    descriptor_ = leer_descriptor(carpeta)
    tablas = {n: _leer_tabla(carpeta / f"{n}.csv", n) for n in TABLAS}
    fuente = (descriptor_.get("sources") or [{}])[-1]
    return Tablas(**tablas, fuente=fuente)


def tablas_desde_tablero(t: Tablero | Historial) -> Tablas:
    """Las mismas tablas que ``leer_paquete`` devolvería, sin pasar por disco."""
    with tempfile.TemporaryDirectory() as temporal:
        for nombre, contenido in paquete_bytes(t).items():
            (Path(temporal) / nombre).write_bytes(contenido)
        return leer_paquete(temporal)
