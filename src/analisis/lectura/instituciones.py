"""Nombres normalizados de las instituciones responsables.

El tablero escribe el mismo organismo de varias maneras: «Comisión de Gobierno
Abierto y Electrónico», «Comisión Presidencial de Gobierno Abierto y
Electrónico» y «GAE» son uno solo; «Defensoría de la Mujer Indigena» aparece
sin tilde. Agrupar por el texto tal cual partiría una institución en varias
filas de ``metricas_instituciones.csv``.

La equivalencia se guarda como *dato* versionado en
``datos/alias_instituciones.csv`` (columnas ``alias, nombre_normalizado,
sigla``) para que un evaluador pueda corregirla sin tocar código. La
comparación se hace sobre una *clave* sin tildes, sin mayúsculas y con los
espacios colapsados, así que el archivo no necesita listar cada variante de
escritura. El nombre normalizado y la sigla de cada fila valen también como
alias.

Un nombre que no figura en el archivo nunca se descarta: pasa con sus espacios
limpios, y las variantes que solo difieren en tildes o mayúsculas se agrupan
bajo la forma más frecuente (a igualdad, la primera que aparece).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errores import ErrorEntrada
from .fechas import sin_acentos

COLUMNAS_ALIAS = ("alias", "nombre_normalizado", "sigla")


def limpiar_espacios(texto: str) -> str:
    """Espacios y saltos de línea colapsados en un espacio, sin bordes."""
    return re.sub(r"\s+", " ", str(texto)).strip()


def clave(nombre: str) -> str:
    """Clave de comparación: sin tildes, en minúsculas y con espacios colapsados."""
    return limpiar_espacios(sin_acentos(str(nombre))).casefold()


@dataclass(frozen=True)
class Institucion:
    nombre: str
    sigla: str
    conocida: bool  # figura en el archivo de alias


class CatalogoInstituciones:
    """Tabla de alias ya validada, indexada por clave."""

    def __init__(self, filas: Iterable[tuple[str, str, str]] = (), origen: str = "<alias>"):
        self._origen = origen
        self._por_clave: dict[str, tuple[str, str]] = {}
        for numero, fila in enumerate(filas, start=2):  # la línea 1 es la cabecera
            self.agregar(*fila, linea=numero)

    def agregar(self, alias: str, nombre: str, sigla: str = "", linea: int | None = None) -> None:
        """Registra un alias; un alias ya asignado a otra institución es un error del archivo."""
        alias, nombre, sigla = limpiar_espacios(alias), limpiar_espacios(nombre), limpiar_espacios(sigla)
        if not alias or not nombre:
            raise ErrorEntrada(self._origen, linea, "fila de alias incompleta: faltan «alias» o «nombre_normalizado»")
        for variante in (alias, nombre, sigla):
            if not variante:
                continue
            k = clave(variante)
            previo = self._por_clave.get(k)
            if previo is not None and previo != (nombre, sigla):
                raise ErrorEntrada(
                    self._origen,
                    linea,
                    f"«{variante}» ya estaba asignado a «{previo[0]}» ({previo[1] or 'sin sigla'}); "
                    f"no puede ser también «{nombre}» ({sigla or 'sin sigla'})",
                )
            self._por_clave[k] = (nombre, sigla)

    @classmethod
    def desde_csv(cls, ruta: str | Path | None = None) -> CatalogoInstituciones:
        """Carga el archivo de alias; sin ``ruta``, el que se distribuye con el paquete."""
        if ruta is None:
            texto = resources.files("analisis.datos").joinpath("alias_instituciones.csv").read_text(encoding="utf-8")
            origen = "alias_instituciones.csv"
        else:
            try:
                texto = Path(ruta).read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise ErrorEntrada(ruta, None, "el archivo de alias no existe") from None
            origen = str(ruta)
        lector = csv.reader(io.StringIO(texto))
        cabecera = next(lector, None)
        if cabecera is None or tuple(c.strip() for c in cabecera) != COLUMNAS_ALIAS:
            raise ErrorEntrada(origen, 1, "la cabecera debe ser exactamente: " + ",".join(COLUMNAS_ALIAS))
        catalogo = cls(origen=origen)
        for fila in lector:
            if not any(c.strip() for c in fila):
                continue  # una línea en blanco (p. ej. al final) no es una fila
            if len(fila) != len(COLUMNAS_ALIAS):
                raise ErrorEntrada(origen, lector.line_num, f"se esperaban {len(COLUMNAS_ALIAS)} columnas y hay {len(fila)}")
            catalogo.agregar(*fila, linea=lector.line_num)
        return catalogo

    def buscar(self, nombre: str) -> Institucion:
        """La institución normalizada; un nombre desconocido vuelve con sus espacios limpios."""
        encontrado = self._por_clave.get(clave(nombre))
        if encontrado is None:
            return Institucion(limpiar_espacios(nombre), "", False)
        return Institucion(encontrado[0], encontrado[1], True)


@cache
def catalogo_por_defecto() -> CatalogoInstituciones:
    return CatalogoInstituciones.desde_csv()


def normalizar_institucion(nombre: str, catalogo: CatalogoInstituciones | None = None) -> str:
    """Nombre normalizado de una sola institución (ver :func:`normalizar_nombres` para agrupar desconocidas)."""
    return (catalogo or catalogo_por_defecto()).buscar(nombre).nombre


def normalizar_nombres(
    nombres: Iterable[str], catalogo: CatalogoInstituciones | None = None
) -> dict[str, Institucion]:
    """Asigna a cada nombre escrito su institución normalizada.

    Los nombres conocidos toman el nombre del archivo de alias. Los
    desconocidos que comparten clave se agrupan bajo la escritura más
    frecuente; a igualdad de frecuencia gana la primera en aparecer, para que
    el resultado no dependa del orden de un ``set``.
    """
    catalogo = catalogo or catalogo_por_defecto()
    nombres = [str(n) for n in nombres]
    encontradas = {nombre: catalogo.buscar(nombre) for nombre in nombres}
    variantes: dict[str, list[str]] = {}
    for nombre in nombres:
        if not encontradas[nombre].conocida:
            variantes.setdefault(clave(nombre), []).append(limpiar_espacios(nombre))
    elegidas: dict[str, str] = {}
    for k, escritas in variantes.items():
        frecuencia = Counter(escritas)
        elegidas[k] = max(escritas, key=lambda v: (frecuencia[v], -escritas.index(v)))
    resultado: dict[str, Institucion] = {}
    for nombre in nombres:
        encontrada = encontradas[nombre]
        resultado[nombre] = encontrada if encontrada.conocida else Institucion(elegidas[clave(nombre)], "", False)
    return resultado


def normalizar_columna(
    serie: pd.Series, catalogo: CatalogoInstituciones | None = None
) -> pd.DataFrame:
    """Columnas ``institucion_normalizada`` y ``sigla`` alineadas con ``serie``."""
    mapa = normalizar_nombres(serie.tolist(), catalogo)
    return pd.DataFrame(
        {
            "institucion_normalizada": [mapa[str(n)].nombre for n in serie],
            "sigla": [mapa[str(n)].sigla for n in serie],
        },
        index=serie.index,
        dtype="str",
    )
