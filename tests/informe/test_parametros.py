"""Validación de parámetros de los cuadernos antes de ejecutarlos (analisis.informe.parametros)."""

from __future__ import annotations

import nbformat
import pytest

from analisis.errores import ErrorParametro
from analisis.informe.ejecucion import limpiar_cuaderno
from analisis.informe.parametros import leer_parametros, validar_parametros

CELDA = '''periodo: str = "2025-T2"  # periodo evaluado
corte: str = ""  # fecha de corte AAAA-MM-DD; vacío = último día del periodo
datos: str = "data/processed"  # paquete de datos
criterio: str = "ultimo"  # ultimo, maximo o suma
'''


def _cuaderno(tmp_path, nombre="01_a.ipynb", fuente=CELDA):
    nb = nbformat.v4.new_notebook()
    celda = nbformat.v4.new_code_cell(fuente)
    celda.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Título"), celda, nbformat.v4.new_code_cell("1 + 1")]
    ruta = tmp_path / nombre
    nbformat.write(nb, ruta)
    return ruta


def test_lee_nombres_tipos_defectos_y_comentarios(tmp_path):
    p = leer_parametros(_cuaderno(tmp_path))
    assert list(p) == ["periodo", "corte", "datos", "criterio"]
    assert p["periodo"].tipo is str and p["periodo"].defecto == "2025-T2"
    assert p["criterio"].comentario == "ultimo, maximo o suma"


def test_celda_sin_anotaciones_es_un_error(tmp_path):
    with pytest.raises(ErrorParametro, match="asignaciones anotadas"):
        leer_parametros(_cuaderno(tmp_path, fuente='periodo = "2025-T2"\n'))


@pytest.mark.parametrize(
    "parametros,mensaje",
    [
        ({"periodos": "2025-T1"}, "parámetro desconocido: periodos"),
        ({"periodo": "2025-T5"}, "2025-T5"),
        ({"periodo": "T1-2025"}, "T1-2025"),
        ({"periodo": 2024}, "debe ser str, no int"),
        ({"periodo": "2025-T1", "corte": "2025-02-30"}, "2025-02-30"),
        ({"periodo": "2025-T2", "corte": "2025-01-15"}, "anterior al inicio"),
        ({"periodo": "2025-T1", "criterio": "promedio"}, "criterio no válido"),
    ],
    ids=["nombre-desconocido", "trimestre-5", "periodo-al-reves", "periodo-entero", "corte-imposible",
         "corte-antes-del-periodo", "criterio-desconocido"],
)
def test_parametros_invalidos(tmp_path, parametros, mensaje):
    with pytest.raises(ErrorParametro, match=mensaje):
        validar_parametros(parametros, [_cuaderno(tmp_path)])


def test_completa_con_los_valores_por_defecto(tmp_path):
    p = validar_parametros({"periodo": "2025-t1"}, [_cuaderno(tmp_path)])
    assert p == {"periodo": "2025-T1", "corte": "", "datos": "data/processed", "criterio": "ultimo"}


def test_cuadernos_con_parametros_distintos(tmp_path):
    a = _cuaderno(tmp_path, "01_a.ipynb")
    b = _cuaderno(tmp_path, "02_b.ipynb", CELDA + 'extra: int = 3  # otro\n')
    with pytest.raises(ErrorParametro, match="difieren"):
        validar_parametros({"periodo": "2025-T1"}, [a, b])


def test_limpiar_quita_tiempos_y_rutas_pero_conserva_parametros():
    nb = {
        "metadata": {"papermill": {"start_time": "2026-01-01T00:00:00", "duration": 1.5,
                                   "input_path": "/ruta/a.ipynb", "parameters": {"periodo": "2025-T1"}}},
        "cells": [{"cell_type": "code", "metadata": {"execution": {"iopub.status.busy": "x"},
                                                     "papermill": {"duration": 0.1}}, "source": ""}],
    }
    limpio = limpiar_cuaderno(nb)
    assert limpio["metadata"]["papermill"] == {"parameters": {"periodo": "2025-T1"}}
    assert limpio["cells"][0]["metadata"] == {}


def test_procesos_muertos_sin_resultado_dan_error_y_no_bloquean():
    import multiprocessing

    from analisis.errores import AnalisisError
    from analisis.informe.ejecucion import _siguiente

    class ProcesoMuerto:
        exitcode = -9

        def is_alive(self):
            return False

    vacia = multiprocessing.get_context("spawn").Queue()
    with pytest.raises(AnalisisError, match="códigos de salida: -9"):
        _siguiente(vacia, [ProcesoMuerto()])
