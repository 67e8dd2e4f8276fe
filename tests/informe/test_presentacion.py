"""Piezas de presentación de los cuadernos: escapado y formato de valores."""

from __future__ import annotations

import pandas as pd
import pytest

from analisis.informe import presentacion as p


def test_tabla_escapa_el_texto_de_los_datos():
    df = pd.DataFrame({"descripcion": ["<script>alert(1)</script>", "a & b"]})
    html = p.tabla(df).data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html


def test_tabla_elige_renombra_y_conserva_el_orden_de_columnas():
    df = pd.DataFrame({"b": [1], "a": [2], "c": [3]})
    html = p.tabla(df, {"a": "Columna A", "b": "Columna <B>"}).data
    assert html.index("Columna A") < html.index("Columna &lt;B&gt;")
    assert "<td>3</td>" not in html


def test_saltos_de_linea_se_ven_como_saltos():
    html = p.tabla(pd.DataFrame({"texto": ["uno\ndos"]})).data
    assert "uno<br>dos" in html


def test_tabla_vacia_muestra_el_mensaje():
    html = p.tabla(pd.DataFrame({"a": []}), {"a": "A"}, vacio="Nada <aquí>.").data
    assert html == '<p class="vacio">Nada &lt;aquí&gt;.</p>'


@pytest.mark.parametrize(
    "valor,columna,esperado",
    [
        (8.34, "porcentaje", "8.34"),
        (100.0, "porcentaje", "100"),
        (46.25, "avance_calculado", "46.3"),  # mitad hacia arriba, no al par
        (0.333, "cobertura_evidencia", "33\u00a0%"),
        (float("nan"), "porcentaje", "—"),
        (pd.NA, "dias_para_fin", "—"),
        (pd.NaT, "fecha_fin", "—"),
        (pd.Timestamp("2025-06-30"), "fecha_fin", "2025-06-30"),
        (pd.Timestamp("2025-03-05 02:48:19"), "ultima_actualizacion", "2025-03-05 02:48"),
    ],
    ids=["porcentaje-publicado", "porcentaje-entero", "avance-un-decimal", "cobertura", "nan", "na", "nat",
         "fecha", "fecha-hora"],
)
def test_formato_de_valores(valor, columna, esperado):
    html = p.tabla(pd.DataFrame({columna: pd.Series([valor], dtype=object)})).data
    assert f"<td>{esperado}</td>" in html


def test_cifras_escapa_etiquetas_y_valores():
    html = p.cifras({"<b>Hitos</b>": "27 & más"}).data
    assert "&lt;b&gt;Hitos&lt;/b&gt;" in html and "27 &amp; más" in html


@pytest.mark.parametrize(
    "pieza",
    [
        lambda texto: p.tabla(pd.DataFrame({"institucion": [texto]})).data,
        lambda texto: p.cifras({"Institución": texto}).data,
        lambda texto: p.parrafos([texto]).data,
    ],
    ids=["tabla", "cifras", "parrafos"],
)
def test_control_bidireccional_se_ve_como_codigo(pieza):
    # U+202E invertiría «Salud de» en pantalla; debe verse su código y no actuar.
    html = pieza("Ministerio\u202e de Salud")
    assert "\u202e" not in html
    assert "Ministerio[U+202E] de Salud" in html


def test_parrafo_vacio_para_none():
    assert p.parrafo(None).data == "<p></p>"
