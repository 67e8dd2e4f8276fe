"""Gráficos: salida SVG determinista y ayudas de formato."""

from __future__ import annotations

import io
import math
import time
from datetime import date

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


def test_partir_etiqueta_larga():
    texto = "Acciones institucionales para el fortalecimiento de la apertura de datos"
    partes = graficos.partir_etiqueta(texto, ancho=20).split("\n")
    assert len(partes) == 3
    assert all(len(p) <= 20 for p in partes)
    assert partes[-1].endswith("…")


def test_partir_etiqueta_no_parte_palabras_que_caben():
    # «fortalecimiento» (15) cabe en una línea de 20: pasa entera a la siguiente.
    partes = graficos.partir_etiqueta("Acciones para el fortalecimiento", ancho=20).split("\n")
    assert partes == ["Acciones para el", "fortalecimiento"]


def test_partir_etiqueta_palabra_mas_larga_que_la_linea():
    # Un nombre sin espacios de 70 letras no puede ensanchar el eje: se parte y se recorta.
    partes = graficos.partir_etiqueta("Ministerio" + "x" * 60, ancho=20).split("\n")
    assert len(partes) == 3
    assert all(len(p) <= 20 for p in partes)
    assert partes[0] == "Ministerioxxxxxxxxxx" and partes[-1].endswith("…")


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


def test_nucleo_no_dibuja_con_agg_lo_que_publica_en_svg():
    """Con el backend inline, la figura solo se dibuja en SVG: el dibujo Agg que pyplot haría al final de la celda sobra."""
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(
        cells=[
            new_code_cell("from analisis.informe import graficos\ngraficos.configurar()\nimport matplotlib.pyplot as plt"),
            new_code_cell("fig, ax = plt.subplots()\nlienzo = fig.canvas\nax.bar(['Año', 'Acción'], [1, 2]);"),
            # FigureCanvasAgg guarda su renderer al dibujar con Agg; el SVG usa
            # otro. (Al publicarse, la figura se cierra y cambia de lienzo.)
            new_code_cell("print(type(lienzo).__name__, hasattr(lienzo, 'renderer'))"),
        ]
    )
    try:
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    except NoSuchKernel:
        pytest.skip("no hay núcleo «python3» instalado")
    assert any("image/svg+xml" in o.get("data", {}) for o in nb.cells[1].outputs)
    assert nb.cells[2].outputs[0]["text"] == "FigureCanvasAgg False\n"


# --- gráficos de los cuadernos: ningún panel con más de 30 renglones ----------------------------


def _renglones(fig) -> list[str]:
    (ax,) = fig.axes
    return [t.get_text() for t in ax.get_yticklabels()]


def test_configurar_no_lee_formulas_en_el_texto():
    graficos.configurar()
    fig, ax = plt.subplots()
    ax.set_title("Fondo $A$ y $B$")
    svg = _svg(fig)
    assert "Fondo $A$ y $B$" in svg


def test_avance_compromisos_en_paneles_de_a_lo_mas_15():
    import pandas as pd

    graficos.configurar()
    tabla = pd.DataFrame(
        {"compromiso": range(1, 41), "porcentaje_reportado": [50.0] * 40, "avance_calculado": [40.0] * 40}
    )
    paneles = graficos.avance_compromisos(tabla)
    # 40 compromisos en 3 paneles parejos (14, 13, 13), de arriba abajo en orden: C1 arriba del primero.
    assert [len(_renglones(f)) for f in paneles] == [14, 13, 13]
    assert [r for f in paneles for r in reversed(_renglones(f))] == [f"C{c}" for c in range(1, 41)]
    assert paneles[0].axes[0].get_title().endswith("(1 de 3)")


def test_cronograma_por_compromiso_sin_pasar_de_30_renglones():
    import pandas as pd

    graficos.configurar()
    # Compromisos de 10, 25, 40 y 3 hitos: 10 y 25 no caben juntos; el de 40 se parte en dos de 20.
    filas = [(c, n) for c, total in ((1, 10), (2, 25), (3, 40), (4, 3)) for n in range(1, total + 1)]
    hitos = pd.DataFrame(
        {
            "hito_id": [f"{c}.{n}" for c, n in filas],
            "compromiso": [c for c, _ in filas],
            "numero": [n for _, n in filas],
            "fecha_inicio": pd.to_datetime(["2025-01-01"] * len(filas)),
            "fecha_fin": pd.to_datetime(["2025-06-30"] * len(filas)),
        }
    )
    avances = pd.DataFrame({"hito_id": ["1.1"], "fecha_registro": pd.to_datetime(["2025-02-01"])})
    paneles = graficos.cronograma(hitos, avances, date(2025, 3, 31))
    assert [len(_renglones(f)) for f in paneles] == [10, 25, 20, 20, 3]
    vistos = [r for f in paneles for r in reversed(_renglones(f))]
    assert vistos == [f"Hito {c}.{n}" for c, n in filas]


def test_estados_hitos_agrega_las_instituciones_menores():
    import pandas as pd

    graficos.configurar()
    n = 40
    conteos = pd.DataFrame(
        {
            "institucion": [f"Institución {i}" for i in range(n)],
            "hitos_completados": [i for i in range(n)],  # la 39 tiene más hitos, la 0 ninguno
            "hitos_en_progreso": [1] * n,
            "hitos_no_iniciados": [0] * n,
        }
    )
    fig = graficos.estados_hitos(conteos, "institucion", "Hitos por institución")
    renglones = _renglones(fig)
    assert len(renglones) == 25
    # Arriba, en el orden de la tabla, las 24 con más hitos (16 a 39); abajo «Otras» con las 16 restantes (0 a 15).
    assert list(reversed(renglones)) == [f"Institución {i}" for i in range(16, 40)] + ["Otras (16)"]
    (ax,) = fig.axes
    anchos = sum(p.get_width() for p in ax.patches)
    assert anchos == conteos[["hitos_completados", "hitos_en_progreso", "hitos_no_iniciados"]].to_numpy().sum()


def test_barras_simples_muestra_las_mayores_y_lo_dice():
    import pandas as pd

    graficos.configurar()
    serie = pd.Series(range(50), index=[f"Organización {i}" for i in range(50)])
    fig = graficos.barras_simples(serie, "Organizaciones", "Compromisos")
    assert list(reversed(_renglones(fig))) == [f"Organización {i}" for i in range(49, 29, -1)]
    assert fig.axes[0].get_title() == "Organizaciones: 20 de 50 (compromisos ≥ 30)"


@pytest.mark.parametrize(
    ("valores", "barras", "titulo"),
    [
        # 3, 2, 2, 2, 1, 1 con 2 barras: el empate en 2 entra entero.
        ([3, 2, 2, 2, 1, 1], ["A", "B", "C", "D"], "X: 4 de 6 (compromisos ≥ 2)"),
        # 35 empatadas en 1 detrás de la primera: no caben (30 barras), quedan fuera todas.
        ([2] + [1] * 35, ["A"], "X: 1 de 36 (compromisos > 1)"),
        # Todas iguales: las primeras en el orden de la tabla, y el título lo dice.
        ([1] * 40, ["A", "B"], "X: 2 de 40, en el orden de la tabla (todas con compromisos = 1)"),
    ],
    ids=["empate-que-cabe", "empate-que-no-cabe", "todas-iguales"],
)
def test_barras_simples_no_parte_un_empate(valores, barras, titulo):
    import pandas as pd

    graficos.configurar()
    nombres = [chr(65 + i) if i < 26 else f"Z{i}" for i in range(len(valores))]
    fig = graficos.barras_simples(pd.Series(valores, index=nombres), "X", "Compromisos", maximo=2)
    assert list(reversed(_renglones(fig))) == barras
    assert fig.axes[0].get_title() == titulo


def test_cronograma_marca_los_hitos_vencidos():
    import pandas as pd

    graficos.configurar()
    hitos = pd.DataFrame(
        {
            "hito_id": ["1.1", "1.2"],
            "compromiso": [1, 1],
            "numero": [1, 2],
            "fecha_inicio": pd.to_datetime(["2025-01-01", "2025-01-01"]),
            "fecha_fin": pd.to_datetime(["2025-02-28", "2025-06-30"]),
        }
    )
    avances = pd.DataFrame({"hito_id": pd.Series([], dtype=str), "fecha_registro": pd.to_datetime([])})
    (figura,) = graficos.cronograma(hitos, avances, date(2025, 3, 31), vencidos=["1.1"])
    ax = figura.axes[0]
    rotulos = {t.get_text(): t.get_color() for t in ax.get_yticklabels()}
    assert rotulos["Hito 1.1 · vencido"] == graficos.ROJO
    assert rotulos["Hito 1.2"] != graficos.ROJO
    # La barra del vencido tiene borde rojo; la del otro, ninguno visible.
    barras = {round(p.get_y() + p.get_height() / 2): p for p in ax.patches}
    assert barras[1].get_linewidth() == 1.5  # renglones de abajo arriba: 1.1 es el de arriba
    assert barras[0].get_linewidth() != 1.5
    assert "Vencido al corte" in [t.get_text() for t in ax.get_legend().get_texts()]
