"""El entorno Jinja compartido: escape, texto inerte y variables indefinidas."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from analisis.informe.plantilla import entorno


def _render(fuente: str, **contexto) -> str:
    return entorno().from_string(fuente).render(**contexto)


def test_escapa_el_texto_variable():
    assert _render("<p>{{ t }}</p>", t='<a href="x">') == "<p>&lt;a href=&#34;x&#34;&gt;</p>"


def test_markup_de_confianza_pasa_tal_cual():
    assert _render("{{ t }}", t=markupsafe.Markup("<br>")) == "<br>"


def test_neutraliza_controles_bidireccionales():
    assert _render("{{ t }}", t="a\u202eb\u2066c") == "a[U+202E]b[U+2066]c"


@pytest.mark.parametrize(
    "texto,esperado",
    [("uno\ndos", "uno<br>dos"), ("<b>\n&", "&lt;b&gt;<br>&amp;"), ("x\u202e", "x[U+202E]")],
    ids=["salto", "escapa-cada-linea", "bidi"],
)
def test_filtro_lineas(texto, esperado):
    assert _render("{{ t | lineas }}", t=texto) == esperado


def test_variable_indefinida_es_error():
    # Una plantilla que nombra un dato que no se le pasó no debe dejar un hueco silencioso.
    with pytest.raises(jinja2.UndefinedError):
        _render("{{ falta }}")
