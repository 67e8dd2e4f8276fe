"""Exportación a HTML: seguridad frente a los datos, determinismo, sin recursos externos."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analisis.informe.html import ajustar_tablas, exportar_html, hoja_de_estilo, limpiar_html, titulo_de

HOSTIL = Path(__file__).parents[1] / "fixtures" / "hostil.ipynb"

TEXTOS_HOSTILES = {
    "script": ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    "img-onerror": ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    "enlace-markdown-javascript": ("[clic](javascript:alert(1))", "[clic](javascript:alert(1))"),
    "jinja-expresion": ("{{ 7*7 }}", "{{ 7*7 }}"),
    "jinja-bloque": ("{% if true %}si{% endif %}", "{% if true %}si{% endif %}"),
}


class _Etiquetas(HTMLParser):
    """Recoge (etiqueta, atributos) de un documento como lo haría un navegador."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.etiquetas: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.etiquetas.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _etiquetas(html: str) -> list[tuple[str, dict[str, str | None]]]:
    lector = _Etiquetas()
    lector.feed(html)
    return lector.etiquetas


@pytest.fixture(scope="module")
def html_hostil() -> str:
    return exportar_html(HOSTIL)


def _cuaderno(*celdas) -> nbformat.NotebookNode:
    return new_notebook(cells=list(celdas))


def _salida_html(html: str) -> nbformat.NotebookNode:
    return new_code_cell("x", outputs=[new_output("display_data", data={"text/html": html})])


# ---------- Seguridad ----------


def test_ningun_script_en_el_documento(html_hostil):
    assert not [e for e, _ in _etiquetas(html_hostil) if e == "script"]
    assert "<script" not in html_hostil.lower()


def test_ningun_atributo_on_evento(html_hostil):
    con_eventos = [(e, a) for e, a in _etiquetas(html_hostil) if any(n.startswith("on") for n in a)]
    assert con_eventos == []
    assert not re.search(r"<[^>]*\bonerror\s*=", html_hostil, re.IGNORECASE)


def test_ningun_enlace_javascript(html_hostil):
    urls = [v or "" for _, a in _etiquetas(html_hostil) for n, v in a.items() if n in ("href", "src")]
    assert not [u for u in urls if u.strip().lower().startswith("javascript:")]


@pytest.mark.parametrize("original,escapado", TEXTOS_HOSTILES.values(), ids=TEXTOS_HOSTILES.keys())
def test_texto_hostil_visible_literalmente(html_hostil, original, escapado):
    assert escapado in html_hostil


def test_jinja_de_los_datos_no_se_evalua(html_hostil):
    assert "{{ 7*7 }}" in html_hostil
    assert ">49<" not in html_hostil
    assert ">si<" not in html_hostil


def test_pandas_escapa_el_texto_de_las_celdas():
    df = pd.DataFrame({"a": ["<script>alert(1)</script>"]})
    assert "&lt;script&gt;" in df._repr_html_()
    assert "<script>" not in df._repr_html_()


def test_javascript_de_las_salidas_se_descarta(html_hostil):
    assert "JS_EJECUTADO" not in html_hostil
    assert "Javascript object" not in html_hostil


@pytest.mark.parametrize(
    "texto,visible",
    [
        ("[<matplotlib.lines.Line2D at 0x7f8b2c3d9e10>]", False),
        ("Text(0.5, 1.0, 'Avance por compromiso')", False),
        ("<Figure size 640x480 with 1 Axes>", False),
        ("Total de hitos: 42", True),
    ],
    ids=["linea-con-direccion", "titulo-matplotlib", "figura-sin-imagen", "texto-normal"],
)
def test_repr_de_objetos_se_omite(texto, visible):
    celda = new_code_cell("x", outputs=[new_output("execute_result", execution_count=1, data={"text/plain": texto})])
    html = exportar_html(_cuaderno(celda))
    assert ("salida-texto" in html) is visible


@pytest.mark.parametrize(
    "fragmento",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
    ],
    ids=["minusculas", "mayusculas-mezcladas", "tabulador-dentro", "data-html", "vbscript"],
)
def test_limpiar_html_quita_href_peligroso(fragmento):
    for imagenes in (False, True):
        limpio = limpiar_html(fragmento, imagenes=imagenes)
        assert [a for e, a in _etiquetas(limpio) if e == "a"] == [{}]


def test_limpiar_html_conserva_enlaces_http():
    assert limpiar_html('<a href="https://example.org/a?b=1">x</a>') == (
        '<a href="https://example.org/a?b=1">x</a>'
    )


def test_limpiar_html_quita_bloques_style():
    assert limpiar_html("<style>body{display:none}</style><p>hola</p>") == "<p>hola</p>"


def test_limpiar_html_no_admite_style_en_linea():
    assert limpiar_html('<p style="display:none">oculto</p>') == "<p>oculto</p>"


def test_limpiar_html_imagenes_solo_incrustadas():
    assert 'src="data:image/png;base64,AAAA"' in limpiar_html(
        '<img src="data:image/png;base64,AAAA">', imagenes=True
    )
    externa = limpiar_html('<img src="https://rastreo.example/x.png">', imagenes=True)
    assert "rastreo.example" not in externa


@pytest.mark.parametrize(
    "fragmento",
    ['<p class="seccion">x</p>', '<h2 id="seccion-2">x</h2>', '<div class="dataframe apaisado">x</div>'],
    ids=["clase-de-seccion", "id-del-indice", "clase-de-pagina-apaisada"],
)
def test_datos_no_usan_clases_ni_ids_de_la_maqueta(fragmento):
    limpio = limpiar_html(fragmento)
    assert "seccion" not in limpio and "apaisado" not in limpio


def test_clases_ajenas_a_la_maqueta_se_conservan():
    assert limpiar_html('<table class="dataframe"><tr><td>1</td></tr></table>').startswith(
        '<table class="dataframe">'
    )


def test_img_de_los_datos_se_escapa():
    assert limpiar_html('<img src="data:image/png;base64,AAAA">').startswith("&lt;img")


def test_markdown_de_celda_con_html_hostil_se_sanea():
    nb = _cuaderno(new_markdown_cell("Texto <script>alert(1)</script> y [x](javascript:alert(1))"))
    html = exportar_html(nb)
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html


# ---------- Contenido y aspecto ----------


def test_codigo_oculto(html_hostil):
    assert "CODIGO_OCULTO" not in html_hostil
    assert "In&nbsp;[" not in html_hostil and "Out[" not in html_hostil


def test_stderr_oculto(html_hostil):
    assert "AVISO_STDERR" not in html_hostil


def test_error_visible_y_escapado(html_hostil):
    assert "ValueError: &lt;script&gt;alert(1)&lt;/script&gt;" in html_hostil


def test_tabla_de_pandas_intacta(html_hostil):
    etiquetas = [e for e, _ in _etiquetas(html_hostil)]
    for etiqueta in ("table", "thead", "tbody", "tr", "th", "td"):
        assert etiqueta in etiquetas
    assert "&lt;th&gt;" not in html_hostil and "&lt;table" not in html_hostil
    assert "Texto publicado en el tablero" in html_hostil


def test_svg_incrustado_intacto(html_hostil):
    nb = nbformat.read(HOSTIL, as_version=4)
    svg = next(o.data["image/svg+xml"] for c in nb.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {}))
    fuentes = [a["src"] for e, a in _etiquetas(html_hostil) if e == "img" and a["src"].startswith("data:image/svg+xml")]
    assert len(fuentes) == 1
    assert base64.b64decode(fuentes[0].split(",", 1)[1]).decode("utf-8") == svg


def test_png_como_uri_data(html_hostil):
    fuentes = [a["src"] for e, a in _etiquetas(html_hostil) if e == "img"]
    assert any(f.startswith("data:image/png;base64,iVBOR") for f in fuentes)


def test_imagen_png_no_base64_se_descarta():
    nb = _cuaderno(new_code_cell("x", outputs=[new_output("display_data", data={"image/png": '" onerror="alert(1)'})]))
    html = exportar_html(nb)
    assert "onerror" not in html
    assert "data:image/png" not in html


def test_sin_recursos_externos(html_hostil):
    for etiqueta, atributos in _etiquetas(html_hostil):
        assert etiqueta not in ("script", "link", "iframe", "object", "embed"), etiqueta
        for nombre in ("src", "href"):
            valor = (atributos.get(nombre) or "").lower()
            assert not valor.startswith(("http:", "https:", "//")), (etiqueta, valor)
    assert "mathjax" not in html_hostil.lower()
    assert "@import" not in html_hostil and "url(" not in html_hostil


def test_documento_en_espanol_con_estilo_propio(html_hostil):
    assert '<html lang="es">' in html_hostil
    assert '<meta charset="utf-8"/>' in html_hostil or '<meta charset="utf-8">' in html_hostil
    assert "@page" in html_hostil
    assert "participación, año, acción" in html_hostil


@pytest.mark.parametrize(
    "titulo,esperado",
    [(None, "Cuaderno hostil"), ("Informe <b>final</b>", "Informe &lt;b&gt;final&lt;/b&gt;")],
    ids=["primer-titulo-markdown", "titulo-dado-escapado"],
)
def test_titulo_del_documento(titulo, esperado):
    html = exportar_html(HOSTIL, titulo=titulo)
    assert f"<title>{esperado}</title>" in html


def test_titulo_de_metadatos():
    nb = _cuaderno(new_markdown_cell("# Otro"))
    nb.metadata["title"] = "Desde metadatos"
    assert titulo_de(nb) == "Desde metadatos"


@pytest.mark.parametrize(
    "etiqueta,visible",
    [("ocultar", False), ("ocultar_salida", False), ("apaisado", True)],
    ids=["ocultar-celda", "ocultar-salida", "apaisado"],
)
def test_etiquetas_de_celda(etiqueta, visible):
    celda = _salida_html("<p>CONTENIDO_ETIQUETADO</p>")
    celda.metadata["tags"] = [etiqueta]
    html = exportar_html(_cuaderno(celda))
    assert ("CONTENIDO_ETIQUETADO" in html) is visible
    if etiqueta == "apaisado":
        assert "celda celda-codigo apaisado" in html


# ---------- Tablas anchas ----------


def _tabla_ancha() -> str:
    texto = "La institución responsable informó que se realizó la convocatoria pública de la mesa técnica."
    fila = {
        "Compromiso": texto,
        "Descripción": texto + " " + texto,
        "Fecha de inicio": "01/06/2023",
        "Fecha de fin": "30/06/2025",
        "Estado": "Completado",
        "Observación": texto,
        "Enlace": "https://gobiernoabierto.gob.gt/tablero/detalle?id=1",
    }
    with pd.option_context("display.max_colwidth", None):  # como tras graficos.configurar()
        return limpiar_html(pd.DataFrame([fila, fila])._repr_html_())


def test_tabla_ancha_recibe_anchos_de_columna():
    html = ajustar_tablas(_tabla_ancha())
    porcentajes = [float(p) for p in re.findall(r'<col style="width: ([\d.]+)%"', html)]
    assert len(porcentajes) == 8  # índice + 7 columnas
    assert sum(porcentajes) == pytest.approx(100, abs=0.2)
    assert _clases_tabla(html) >= {"dataframe", "tabla-ajustada"} and "tabla-apaisada" not in _clases_tabla(html)
    indice, compromiso, descripcion, inicio, fin, estado, observacion, enlace = porcentajes
    # El texto más largo recibe más ancho; las fechas, lo justo para no partirse.
    assert descripcion > compromiso > 1.5 * max(inicio, fin, estado)


def test_tabla_ancha_que_cabe_en_vertical_no_se_apaisa():
    assert "tabla-apaisada" not in ajustar_tablas(_tabla_ancha())


def test_tabla_sin_sitio_para_las_palabras_va_apaisada():
    texto = "Institucionalización participativa de compromisos gubernamentales"
    df = pd.DataFrame([{f"Columna {j}": texto for j in range(12)}])
    html = ajustar_tablas(limpiar_html(df._repr_html_()))
    assert _clases_tabla(html) >= {"dataframe", "tabla-ajustada", "tabla-apaisada"}


def test_cabeceras_largas_no_apaisan_una_tabla_de_cifras():
    columnas = ["Compromiso", "Hitos", "No iniciados", "En progreso", "Completados", "Avance recalculado (%)",
                "Reportado (%)", "Diferencia (puntos)", "Nivel", "Vencidos", "Avances en el periodo",
                "Con evidencia", "Última actualización"]
    fila = [1, 4, 2, 1, 1, 46.2, 50.0, 3.8, "limitado", 1, 10, "10\u00a0%", "2025-05-22 17:33"]
    html = ajustar_tablas(limpiar_html(pd.DataFrame([fila] * 6, columns=columnas)._repr_html_()))
    assert "tabla-apaisada" not in html


def test_tabla_estrecha_conserva_ancho_natural():
    html = ajustar_tablas(limpiar_html(pd.DataFrame({"Estado": ["Iniciado"], "Hitos": [3]})._repr_html_()))
    assert "<colgroup>" not in html
    assert "tabla-estrecha" in html


@pytest.mark.parametrize(
    "columnas",
    [
        {"Estado": ["Iniciado"], "Hitos": [3]},
        # Cabeceras largas (se parten) sobre cifras cortas: el cuerpo cabe de sobra.
        {"Avance recalculado al corte (criterio último)": [46.2], "Reportado por el tablero (%)": [50.0]},
    ],
    ids=["cifras-cortas", "cabeceras-largas"],
)
def test_tabla_estrecha_con_holgura_va_sin_cortes(columnas):
    html = ajustar_tablas(limpiar_html(pd.DataFrame(columnas)._repr_html_()))
    assert "tabla-estrecha tabla-sin-cortes" in html
    assert "<colgroup>" not in html


def test_tabla_que_cabe_justa_recibe_anchos_segun_su_texto():
    # Dos textos de 50 caracteres: caben en una línea, pero sin la holgura del 80 %;
    # la columna del índice («0») es estrecha y las dos de texto, iguales.
    texto = "x" * 24 + " " + "y" * 25
    html = ajustar_tablas(limpiar_html(pd.DataFrame({"A": [texto], "B": [texto]})._repr_html_()))
    porcentajes = [float(p) for p in re.findall(r'<col style="width: ([\d.]+)%"', html)]
    assert "tabla-ajustada" in html and "tabla-estrecha" not in html
    indice, a, b = porcentajes
    assert a == b and a > 10 * indice


def test_celda_url_marcada():
    assert 'class="celda-url"' in ajustar_tablas(_tabla_ancha())


# ---------- Determinismo y escritura ----------


def test_html_determinista(tmp_path):
    primero = exportar_html(HOSTIL, tmp_path / "a.html")
    segundo = exportar_html(nbformat.read(HOSTIL, as_version=4), tmp_path / "b.html")
    assert primero == segundo
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_escritura_atomica_sin_restos(tmp_path):
    salida = tmp_path / "informe.html"
    salida.write_text("versión anterior")
    html = exportar_html(HOSTIL, salida)
    assert salida.read_text(encoding="utf-8") == html
    assert [p.name for p in tmp_path.iterdir()] == ["informe.html"]


def test_no_modifica_el_cuaderno_recibido():
    nb = nbformat.read(HOSTIL, as_version=4)
    antes = nbformat.writes(nb)
    exportar_html(nb)
    assert nbformat.writes(nb) == antes


@pytest.mark.parametrize(
    ("fecha", "dia", "hora"),
    [("2025-06-30", "2025-06-30", ""), ("2025-02-28 20:53", "2025-02-28", " 20:53"), ("06/02/2025", "06/02/2025", "")],
    ids=["dia", "dia-y-hora", "dia-con-barras"],
)
def test_celda_fecha_no_se_parte_dentro_del_dia(fecha, dia, hora):
    html = ajustar_tablas(limpiar_html(pd.DataFrame({"Hito": ["1.1"], "Fin": [fecha]})._repr_html_()))
    assert f'<td class="celda-fecha"><span class="fecha-dia">{dia}</span>{hora}</td>' in html
    css = hoja_de_estilo()
    assert re.search(r"td\.celda-fecha \.fecha-dia \{\s*white-space: nowrap;", css)


def test_columna_de_fechas_conserva_su_ancho_en_tablas_sin_sitio():
    # Trece columnas de palabras de 12 letras ya no caben ni con su palabra entera
    # (13 × 13.5 > 3/4 de 180): todas ceden, salvo la de fechas.
    fila = {**{f"C{j}": "Confirmación" for j in range(13)}, "Nota": "texto " * 40, "Fin": "2025-06-30"}
    html = ajustar_tablas(limpiar_html(pd.DataFrame([fila, fila])._repr_html_()))
    porcentajes = [float(p) for p in re.findall(r'<col style="width: ([\d.]+)%"', html)]
    assert "tabla-apaisada" in html
    # 180 caracteres en apaisado: «2025-06-30» (10 + 1.5 de relleno) necesita 6.4 %.
    assert porcentajes[-1] >= 100 * 11.5 / 180 - 0.1
    assert porcentajes[1] < porcentajes[-1]


@pytest.mark.parametrize(
    "filas,entera",
    [(19, True), (20, False)],
    ids=["19-filas-y-cabecera-no-se-parte", "20-filas-y-cabecera-se-puede-partir"],
)
def test_tabla_corta_no_se_parte_entre_paginas(filas, entera):
    # Una fila de cabecera más las del cuerpo: el límite son 20 filas <tr>.
    html = ajustar_tablas(limpiar_html(pd.DataFrame({"Tipo": ["a"] * filas, "Alertas": [1] * filas}).to_html(index=False)))
    assert ("tabla-entera" in html) is entera


def _clases_tabla(html: str) -> set[str]:
    return set(re.search(r'<table class="([^"]*)"', html).group(1).split())


def test_columna_de_siglas_no_se_parte_en_tablas_sin_sitio():
    # Como la de fechas: doce columnas de texto que ceden y una de siglas de nueve mayúsculas.
    fila = {**{f"C{j}": "Confirmación de datos" for j in range(12)}, "Sigla": "CONAMIGUA"}
    html = ajustar_tablas(limpiar_html(pd.DataFrame([fila, fila])._repr_html_()))
    porcentajes = [float(p) for p in re.findall(r'<col style="width: ([\d.]+)%"', html)]
    disponible = 180 if "tabla-apaisada" in html else 120
    # Nueve mayúsculas (9 × 1.35) y el relleno (1.5): al menos 13.6 caracteres del ancho disponible.
    assert porcentajes[-1] >= 100 * 13.6 / disponible - 0.1
