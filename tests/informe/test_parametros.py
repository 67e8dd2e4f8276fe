"""Validación de parámetros de los cuadernos antes de ejecutarlos (analisis.informe.parametros)."""

from __future__ import annotations

import nbformat
import pytest

from analisis.errores import ErrorParametro
from analisis.informe.ejecucion import limpiar_cuaderno
from analisis.informe.parametros import cuadernos_plantilla, leer_parametros, orden_de_ejecucion, validar_parametros

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


# -- orden de ejecución -----------------------------------------------------------


def _con_marca(tmp_path, nombre, marca):
    ruta = _cuaderno(tmp_path, nombre)
    if marca is not None:
        nb = nbformat.read(ruta, as_version=4)
        nb.metadata["analisis"] = marca
        nbformat.write(nb, ruta)
    return ruta


@pytest.mark.parametrize(
    "marcas,esperado",
    [
        ([None, None, None], ["01_a", "02_b", "03_c"]),
        ([None, None, {"ejecutar_primero": True}], ["03_c", "01_a", "02_b"]),
        ([None, {"ejecutar_primero": True}, {"ejecutar_primero": True}], ["02_b", "03_c", "01_a"]),
        ([{"ejecutar_primero": False}, {}, None], ["01_a", "02_b", "03_c"]),
    ],
    ids=["sin-marcas", "el-ultimo-primero", "dos-marcados-en-su-orden", "falso-o-vacio-no-cambian"],
)
def test_los_marcados_ejecutar_primero_van_delante(tmp_path, marcas, esperado):
    cuadernos = [_con_marca(tmp_path, f"{n}.ipynb", m) for n, m in zip(["01_a", "02_b", "03_c"], marcas)]
    assert [c.stem for c in orden_de_ejecucion(cuadernos)] == esperado


@pytest.mark.parametrize("marca", [{"ejecutar_primero": "sí"}, {"ejecutar_primero": 1}, True], ids=["texto", "numero", "no-es-objeto"])
def test_marca_no_valida_es_un_error_que_nombra_el_cuaderno(tmp_path, marca):
    ruta = _con_marca(tmp_path, "05_e.ipynb", marca)
    with pytest.raises(ErrorParametro, match="05_e.ipynb: metadatos «analisis» no válidos"):
        orden_de_ejecucion([ruta])


def test_en_el_informe_las_fichas_se_ejecutan_primero():
    # Su sección es la más larga del PDF: maquetarla mientras se ejecutan las demás acorta el final.
    orden = orden_de_ejecucion(cuadernos_plantilla())
    assert orden[0].name == "08_fichas_compromisos.ipynb"
    assert sorted(orden) == cuadernos_plantilla()
