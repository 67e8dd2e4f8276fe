"""Texto de los datos inerte en informes: controles bidireccionales, mathtext y palabras largas."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analisis.informe import graficos  # noqa: E402
from analisis.informe.html import ajustar_tablas  # noqa: E402
from analisis.informe.pdf import pdf_bytes  # noqa: E402
from analisis.informe.texto import cantidad, porcentaje, porcentaje_publicado  # noqa: E402
from analisis.informe.presentacion import tabla  # noqa: E402
from analisis.informe.texto import CONTROLES_BIDI, neutralizar_bidi  # noqa: E402


@pytest.mark.parametrize("control", list(CONTROLES_BIDI), ids=lambda c: f"U+{ord(c):04X}")
def test_cada_control_bidi_queda_visible(control):
    assert neutralizar_bidi(f"Ministerio{control} de Salud") == f"Ministerio[U+{ord(control):04X}] de Salud"


def test_celda_de_tabla_sin_control_bidi():
    html = tabla(pd.DataFrame({"nombre": ["Salud\u202eorreviN", "Otro"]})).data
    assert "\u202e" not in html
    assert "Salud[U+202E]orreviN" in html


def test_pdf_sin_control_bidi():
    pytest.importorskip("weasyprint")
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "x.pdf"
        ruta.write_bytes(pdf_bytes("<html><body><p>Salud\u202eorreviN</p></body></html>"))
        texto = subprocess.run(["pdftotext", str(ruta), "-"], capture_output=True, text=True, check=True).stdout
    assert "Salud[U+202E]orreviN" in texto


def test_palabra_larga_marcada_para_partirse_en_pantalla():
    html = ajustar_tablas("<table><tr><td>corto</td><td>texto " + "x" * 40 + "</td></tr></table>")
    assert 'class="celda-palabra-larga"' in html
    assert html.count("celda-palabra-larga") == 1


@pytest.mark.parametrize("titulo", ["$$\\LaTeX$$", "cuesta $5 y $6", "$x^2$"], ids=["latex", "dolares", "formula"])
def test_titulo_con_dolares_se_dibuja_literal(titulo):
    graficos.configurar()
    df = pd.DataFrame({"compromiso": [1], "porcentaje_reportado": [10.0], "avance_calculado": [20.0]})
    (fig,) = graficos.avance_compromisos(df, pd.Series({1: titulo}))
    salida = io.StringIO()
    fig.savefig(salida, format="svg")
    # svg.fonttype = none: el texto queda como texto; con mathtext saldría en trozos o fallaría.
    assert titulo.replace("&", "&amp;") in salida.getvalue()


# Caracteres que DejaVu Sans no tiene (😀 o ★ sí los tiene): solo los cubre el respaldo.
@pytest.mark.parametrize("caracter", ["🤝", "📊", "✅", "🔗"], ids=["apreton", "grafico", "visto", "enlace"])
def test_emoji_y_simbolos_sin_glifo_en_dejavu_se_dibujan(caracter):
    import warnings

    from matplotlib import font_manager

    graficos.configurar()
    if not any(f.name == "Symbola" for f in font_manager.fontManager.ttflist):
        pytest.skip("fonts-symbola no está instalado (scripts/entorno.sh lo instala)")
    df = pd.DataFrame({"compromiso": [1], "porcentaje_reportado": [10.0], "avance_calculado": [20.0]})
    (fig,) = graficos.avance_compromisos(df, pd.Series({1: f"Datos {caracter}"}))
    with warnings.catch_warnings():
        # Sin glifo en ninguna fuente, matplotlib avisa «Glyph ... missing from font(s)» y dibuja una caja.
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize(
    "valor,argumentos,esperado",
    [
        (50, {}, "50.0\u00a0%"),
        (12.345, {"decimales": 2}, "12.35\u00a0%"),
        (0.5, {"fraccion": True}, "50.0\u00a0%"),
        (100, {"decimales": 0}, "100\u00a0%"),
        # Mitad hacia arriba, no al par: 70.5 y 69.67 no deben verse iguales.
        (70.5, {"decimales": 0}, "71\u00a0%"),
        (69.67, {"decimales": 0}, "70\u00a0%"),
        (46.25, {}, "46.3\u00a0%"),
        (None, {}, "—"),
        (math.nan, {}, "—"),
    ],
    ids=["puntos-porcentuales", "dos-decimales", "fraccion", "sin-decimales", "mitad-arriba", "no-mitad",
         "mitad-un-decimal", "ausente", "nan"],
)
def test_porcentaje(valor, argumentos, esperado):
    assert porcentaje(valor, **argumentos) == esperado


@pytest.mark.parametrize(
    "numero,singular,plural,esperado",
    [(1, "hito", "hitos", "1 hito"), (0, "hito", "hitos", "0 hitos"), (2, "compromiso", "compromisos", "2 compromisos")],
    ids=["uno", "cero", "varios"],
)
def test_cantidad(numero, singular, plural, esperado):
    assert cantidad(numero, singular, plural) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [(69.67, "69.67\u00a0%"), (55.0, "55\u00a0%"), (41.7, "41.7\u00a0%"), (8.345, "8.35\u00a0%"), (float("nan"), "—")],
    ids=["dos-decimales", "entero-sin-ceros", "un-decimal", "mitad-hacia-arriba", "ausente"],
)
def test_porcentaje_publicado_con_sus_decimales(valor, esperado):
    # Lo publicado por el tablero se muestra igual en tablas, fichas y síntesis: 69.67 no se vuelve 69.7.
    assert porcentaje_publicado(valor) == esperado
