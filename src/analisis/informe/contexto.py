"""Contexto de un informe: paquete de datos, evaluación y métricas, preparado una vez por núcleo.

Cada cuaderno empieza con ``ctx = preparar(periodo, corte, datos, criterio,
valoraciones)`` tras su celda de parámetros. Los cuadernos leen **solo el paquete de datos**
(``analisis parse`` lo escribe), nunca el texto crudo: así todos parten de las
mismas tablas validadas, y un cuaderno se puede ejecutar solo, en JupyterLab,
sin depender de que otro haya corrido antes.

Un núcleo que ejecuta varios cuadernos (``analisis informe`` reutiliza uno
por proceso, y con ``--todos`` para todos los periodos) lee el paquete y
calcula cada evaluación una sola vez: ambos se guardan aquí, en el módulo, que
sobrevive al ``%reset`` entre cuadernos. La clave del paquete es el SHA-256 de
sus bytes (el ``datapackage.json`` y cada tabla), no su ruta: un paquete
cambiado nunca se confunde con el anterior, y las copias idénticas que
``informe --todos`` pone en la carpeta de cada periodo se leen una sola vez
por núcleo. La de una evaluación añade la :class:`Evaluacion` entera (periodo,
corte y criterio) y las valoraciones, así que un núcleo que pasa del periodo A
al B nunca sirve a B la evaluación de A (y sí reutiliza la de A como «periodo
anterior» de B).

Los procesos de una misma ejecución de ``analisis informe`` (el principal,
que escribe las tablas de métricas, y cada núcleo) comparten además las
evaluaciones ya calculadas en una carpeta temporal de esa ejecución,
dentro de la de salida (la variable de entorno
:data:`~analisis.informe.ejecucion.VARIABLE_COMPARTIDAS`, ver :func:`evaluar`):
con dos núcleos, cada periodo se calculaba cuatro veces (tablas, un núcleo, el otro y el «periodo
anterior» del resumen del siguiente), unos 0,3 s de CPU cada vez con el plan
incluido. Fuera de ``analisis informe`` (JupyterLab, nbval) la variable no
existe y todo se calcula en el núcleo, como siempre.

Las valoraciones del evaluador (parámetro ``valoraciones``, un CSV validado
frente al paquete) entran en las métricas del periodo: columnas valoradas y
alerta ``valoracion_sin_respaldo``. Las del periodo anterior no las usan: una
valoración juzga el periodo para el que se hizo.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..evaluacion.calculo import calcular
from ..evaluacion.evaluacion import Evaluacion
from ..evaluacion.periodos import Periodo
from ..evaluacion.reportado import observacion_al_corte
from ..lectura.paquete import TABLAS, Tablas, leer_paquete
from ..lectura.rutas import PAQUETE_INCLUIDO, resolver_archivo, resolver_carpeta
from ..lectura.valoraciones import Valoraciones, leer_valoraciones
from .ejecucion import VARIABLE_COMPARTIDAS

_PAQUETES: dict[str, Tablas] = {}
_EVALUACIONES: dict[tuple[str, Evaluacion, str], dict[str, pd.DataFrame]] = {}


def _huella_paquete(carpeta: Path) -> str:
    """SHA-256 del descriptor y de cada tabla del paquete (unos pocos cientos de kB: milisegundos).

    Un archivo que falta entra como ausente; :func:`leer_paquete` da luego el error claro.
    """
    huella = hashlib.sha256()
    for nombre in ("datapackage.json", *(f"{tabla}.csv" for tabla in TABLAS)):
        ruta = carpeta / nombre
        huella.update(nombre.encode("utf-8") + b"\0")
        huella.update(hashlib.sha256(ruta.read_bytes()).digest() if ruta.is_file() else b"ausente")
    return huella.hexdigest()


def tablas_de(carpeta: Path) -> tuple[str, Tablas]:
    """La huella y las tablas del paquete de ``carpeta``, leídas una vez por proceso para cada huella."""
    clave = _huella_paquete(carpeta)
    if clave not in _PAQUETES:
        _PAQUETES[clave] = leer_paquete(carpeta)
    return clave, _PAQUETES[clave]


def _clave_evaluacion(clave: str, ev: Evaluacion, valoraciones: Valoraciones | None) -> tuple[str, Evaluacion, str]:
    """Lo que distingue una evaluación: el paquete, la evaluación (periodo, corte, criterio) y las valoraciones."""
    return (clave, ev, valoraciones.sha256 if valoraciones else "")


def evaluar(
    tablas: Tablas,
    clave: str,
    ev: Evaluacion,
    valoraciones: Valoraciones | None = None,
    compartidas: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Las métricas de ``ev`` sobre el paquete ``clave``, calculadas una vez por núcleo.

    La clave lleva el SHA-256 de las valoraciones: otro archivo, otras métricas.
    Con una carpeta ``compartidas`` (por omisión, la de :data:`VARIABLE_COMPARTIDAS`),
    se toma de ella la evaluación que otro proceso de la misma ejecución ya
    calculó, o se deja allí la calculada aquí.
    """
    k = _clave_evaluacion(clave, ev, valoraciones)
    if k not in _EVALUACIONES:
        carpeta = compartidas or os.environ.get(VARIABLE_COMPARTIDAS)
        if carpeta:
            _EVALUACIONES[k] = evaluacion_compartida(Path(carpeta), tablas, clave, ev, valoraciones)
        else:
            _EVALUACIONES[k] = calcular(tablas, ev, valoraciones=valoraciones)
    return _EVALUACIONES[k]


def evaluacion_compartida(
    carpeta: Path, tablas: Tablas, clave: str, ev: Evaluacion, valoraciones: Valoraciones | None = None
) -> dict[str, pd.DataFrame]:
    """La evaluación desde ``carpeta`` o, si nadie la dejó aún, calculada y dejada allí.

    No la guarda en este proceso: el principal, que escribe las tablas de
    todos los periodos, no tiene por qué retenerlas todas en memoria.

    El nombre del archivo es el SHA-256 de la clave entera (paquete, evaluación
    con su periodo, corte y criterio, valoraciones). Se escribe en un temporal y
    se renombra: otro proceso lee la evaluación completa o no la encuentra, y si
    dos la calculan a la vez, ambas copias son iguales. pickle conserva cada
    tabla tal cual (tipos, índices, orden), así que las cifras son las mismas
    que si se hubieran calculado aquí; los archivos son de este mismo programa,
    en una carpeta que solo él crea, y nunca se leen de otra parte.
    """
    k = _clave_evaluacion(clave, ev, valoraciones)
    ruta = carpeta / (hashlib.sha256(repr(k).encode("utf-8")).hexdigest() + ".pickle")
    try:
        with open(ruta, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    resultado = calcular(tablas, ev, valoraciones=valoraciones)
    fd, temporal = tempfile.mkstemp(dir=carpeta, suffix=".parcial")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(resultado, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporal, ruta)
    return resultado


@dataclass
class Contexto:
    ev: Evaluacion
    datos: str  # tal como se dio (relativa a la raíz del proyecto o al cuaderno)
    clave: str  # huella de los bytes del paquete (_huella_paquete)
    tablas: Tablas
    valoraciones: Valoraciones | None = None  # del evaluador, validadas frente a ``tablas``

    @property
    def periodo(self) -> Periodo:
        return self.ev.periodo

    @property
    def corte(self) -> date:
        return self.ev.corte

    @property
    def criterio(self) -> str:
        return self.ev.criterio

    @property
    def fuente(self) -> str:
        """El archivo crudo del que salió el paquete (su nombre, como lo registra el paquete)."""
        return str(self.tablas.fuente.get("path", ""))

    @property
    def sha256(self) -> str:
        """SHA-256 del archivo crudo del que salió el paquete."""
        return str(self.tablas.fuente.get("sha256", ""))

    @cached_property
    def lo_reportado(self) -> str:
        """De qué captura sale lo reportado por el tablero al corte, en una frase (encabezados, síntesis, cambios)."""
        return observacion_al_corte(self.tablas.capturas, self.corte).describir()

    @cached_property
    def metricas(self) -> dict[str, pd.DataFrame]:
        """Todas las tablas de métricas al corte del periodo."""
        return evaluar(self.tablas, self.clave, self.ev, self.valoraciones)

    @cached_property
    def anterior(self) -> Periodo:
        return self.ev.anterior().periodo

    @cached_property
    def metricas_anteriores(self) -> dict[str, pd.DataFrame]:
        """Las mismas métricas al cierre del periodo anterior, para ver qué cambió."""
        return evaluar(self.tablas, self.clave, self.ev.anterior())


def preparar(periodo: str, corte: str = "", datos: str = "", criterio: str = "", valoraciones: str = "") -> Contexto:
    """Lee el paquete de datos y fija la evaluación (sin corte: el último día del periodo).

    ``valoraciones`` es un CSV del evaluador (vacío: sin valoraciones); se
    valida frente al paquete y un error nombra su línea y columna.
    """
    ev = Evaluacion.desde_textos(str(periodo), str(corte) or None, str(criterio) if criterio else None)
    clave, tablas = tablas_de(resolver_carpeta(datos or PAQUETE_INCLUIDO))
    leidas = None
    if str(valoraciones).strip():
        ruta = resolver_archivo(valoraciones, "de valoraciones")
        leidas = leer_valoraciones(ruta, tablas.compromisos["compromiso"], tablas.hitos["hito_id"])
    return Contexto(ev=ev, datos=str(datos or PAQUETE_INCLUIDO), clave=clave, tablas=tablas, valoraciones=leidas)
