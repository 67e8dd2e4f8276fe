"""Pruebas de la orquestación de la evaluación (analisis.evaluacion.calculo)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analisis.escritura import CERROJO
from analisis.evaluacion.calculo import calcular, csv_determinista, escribir_metricas
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.evaluacion.metricas import ARCHIVOS
from analisis.lectura.paquete import tablas_desde_tablero
from analisis.lectura.tablero import parsear_texto


def test_plan_sin_hitos():
    tablas = tablas_desde_tablero(parsear_texto("COMPROMISO 1:\nSolo título\n"))
    resultado = calcular(tablas, Evaluacion(date(2025, 1, 1)))
    assert resultado["metricas_hitos"].empty and resultado["alertas"].empty
    assert resultado["metricas_compromisos"][["compromiso", "hitos", "nivel_irm"]].values.tolist() == [[1, 0, "sin evidencia"]]


def test_calcular_devuelve_todas_las_tablas(plan):
    resultado = calcular(plan, Evaluacion.desde_textos("2025-T1"))
    assert tuple(resultado) == ARCHIVOS
    assert all(isinstance(t, pd.DataFrame) for t in resultado.values())


def test_csv_determinista_formatos():
    tabla = pd.DataFrame(
        {
            "avance": [17.333333333333332, 50.0, math.nan],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "vencido": [True, False, True],
            "fecha_fin": pd.to_datetime(["2025-06-30", None, "2023-12-31"]),
            "ultima_actualizacion": pd.to_datetime(["2025-03-05 02:48:19", None, "2025-01-01 00:00:00"]),
            "texto": ["a, b", "línea 1\nlínea 2", ""],
        }
    )
    esperado = (
        "avance,n,vencido,fecha_fin,ultima_actualizacion,texto\n"
        '17.33333333,1,true,2025-06-30,2025-03-05 02:48:19,"a, b"\n'
        '50,,false,,,"línea 1\nlínea 2"\n'
        ",3,true,2023-12-31,2025-01-01 00:00:00,\n"
    )
    assert csv_determinista(tabla).decode("utf-8") == esperado


def test_escritura_identica_en_dos_ejecuciones(plan, tmp_path):
    resultado = calcular(plan, Evaluacion(date(2025, 3, 31), "ultimo"))
    escribir_metricas(resultado, tmp_path / "a", {"corte": "2025-03-31"})
    escribir_metricas(calcular(plan, Evaluacion(date(2025, 3, 31), "ultimo")), tmp_path / "b", {"corte": "2025-03-31"})
    nombres = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith("."))
    assert nombres == sorted([f"{n}.csv" for n in ARCHIVOS] + ["parametros.json"])
    for nombre in nombres:
        assert (tmp_path / "a" / nombre).read_bytes() == (tmp_path / "b" / nombre).read_bytes()
        assert b"\r\n" not in (tmp_path / "a" / nombre).read_bytes()


def test_escritura_atomica_no_deja_nada_si_falla(plan, tmp_path, monkeypatch):
    import os

    resultado = calcular(plan, Evaluacion(date(2025, 3, 31), "ultimo"))
    destino = tmp_path / "salida"
    llamadas = []

    def reemplazo_que_falla(origen, final):
        llamadas.append(final)
        raise OSError("disco lleno")

    monkeypatch.setattr(os, "replace", reemplazo_que_falla)
    with pytest.raises(OSError):
        escribir_metricas(resultado, destino)
    # Falló al mover el primer archivo: ninguno llegó a la carpeta y no quedan temporales.
    # Falló el primer renombre (el del diario): nada publicado, ni temporales; solo el cerrojo.
    assert len(llamadas) == 1
    assert [p.name for p in destino.iterdir()] == [CERROJO]
    assert [p.name for p in tmp_path.iterdir()] == ["salida"]
