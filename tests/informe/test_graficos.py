"""Gráficos: salida SVG determinista y ayudas de formato."""

from __future__ import annotations

import io
import math
import time

import matplotlib
import pytest

from analisis.informe import graficos

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _rc_limpio():
    # configurar() cambia rcParams globales: cada prueba deja todo como estaba.
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _figura():
    fig, ax = plt.subplots()
    ax.bar(["Participación", "Año", "Acción"], [50, 75.5, 12])
    ax.set_title("Avance por compromiso (ñandú)")
    return fig


def _svg(fig) -> str:
    salida = io.StringIO()
    fig.savefig(salida, format="svg", metadata=graficos.METADATOS_FIJOS)
    return salida.getvalue()


def test_configurar_fija_opciones_deterministas():
    graficos.configurar()
    rc = matplotlib.rcParams
    assert rc["svg.hashsalt"] == "analisis"
    assert rc["svg.fonttype"] == "none"
    assert rc["font.sans-serif"][0] == "DejaVu Sans"
    assert matplotlib.get_backend().lower() == "agg"


def test_configurar_quita_limites_de_pandas():
    import pandas as pd

    graficos.configurar()
    try:
        assert pd.get_option("display.max_colwidth") is None
        assert pd.get_option("display.max_columns") is None
    finally:
        pd.reset_option("display.max_colwidth")
        pd.reset_option("display.max_columns")


def test_svg_identico_entre_figuras_iguales():
    graficos.configurar()
    primero, segundo = _svg(_figura()), _svg(_figura())
    assert primero == segundo
    assert "<dc:date>" not in primero
    assert "Matplotlib v" not in primero


def test_svg_con_texto_y_acentos():
    graficos.configurar()
    svg = _svg(_figura())
    assert "Participación" in svg and "ñandú" in svg
    assert "DejaVu Sans" in svg


@pytest.mark.parametrize("extension", ["svg", "pdf", "png"])
def test_guardar_figura_reproducible(tmp_path, extension):
    graficos.configurar()
    a = graficos.guardar_figura(_figura(), tmp_path / f"a.{extension}")
    if extension == "pdf":
        time.sleep(1.1)  # las fuentes incrustadas llevan la hora con resolución de segundos
    b = graficos.guardar_figura(_figura(), tmp_path / f"b.{extension}")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    "valor,argumentos,esperado",
    [
        (50, {}, "50.0\u00a0%"),
        (12.345, {"decimales": 2}, "12.35\u00a0%"),
        (0.5, {"fraccion": True}, "50.0\u00a0%"),
        (100, {"decimales": 0}, "100\u00a0%"),
        (None, {}, "—"),
        (math.nan, {}, "—"),
    ],
    ids=["puntos-porcentuales", "dos-decimales", "fraccion", "sin-decimales", "ausente", "nan"],
)
def test_formato_porcentaje(valor, argumentos, esperado):
    assert graficos.formato_porcentaje(valor, **argumentos) == esperado


def test_partir_etiqueta_larga():
    texto = "Acciones institucionales para el fortalecimiento de la apertura de datos"
    partes = graficos.partir_etiqueta(texto, ancho=20).split("\n")
    assert len(partes) == 3
    assert all(len(p) <= 20 for p in partes)
    assert partes[-1].endswith("…")


def test_partir_etiqueta_corta_intacta():
    assert graficos.partir_etiqueta("Año fiscal") == "Año fiscal"


def test_nucleo_publica_svg_identico_y_sin_fecha():
    """En un núcleo real, la figura sale como image/svg+xml y repetirla da los mismos bytes."""
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    dibujo = "fig, ax = plt.subplots()\nax.bar(['Año', 'Acción'], [1, 2])\nax.set_title('Participación');"
    nb = new_notebook(
        cells=[
            new_code_cell("from analisis.informe import graficos\ngraficos.configurar()\nimport matplotlib.pyplot as plt"),
            new_code_cell(dibujo),
            new_code_cell(dibujo),
        ]
    )
    try:
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    except NoSuchKernel:
        pytest.skip("no hay núcleo «python3» instalado")
    svgs = [o.data["image/svg+xml"] for c in nb.cells[1:] for o in c.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 2
    assert svgs[0] == svgs[1]
    assert "<dc:date>" not in svgs[0]
    assert all("image/png" not in o.get("data", {}) for c in nb.cells for o in c.outputs)
