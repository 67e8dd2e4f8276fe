"""Fichas de los compromisos (analisis.informe.fichas) sobre el ejemplo escrito a mano.

``tests/fixtures/metricas/plan.txt``: compromiso 1 «Datos abiertos» (descripción
«Abrir datos.», GAE responsable; OSC «Red Ciudadana; Acción Ciudadana»; OTROS
«CoST- Guatemala») con los hitos 1.1 y 1.2; compromiso 2 «Mujeres» con los
hitos 2.1 (sin fechas) y 2.2. El avance 1.1.2 cita https://datos.example.org/uno.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe.contexto import Contexto
from analisis.informe.fichas import datos_fichas, enlaces, html_fichas
from analisis.informe.html import limpiar_html


def _ctx(tablas, clave: str) -> Contexto:
    return Contexto(ev=Evaluacion.desde_textos("2025-T1"), datos="", clave=(clave, "0"), tablas=tablas)


@pytest.fixture(scope="module")
def fichas_plan(plan):
    return html_fichas(_ctx(plan, "plan-fichas"))


def _ficha(html: str, numero: int) -> str:
    partes = html.split('<div class="ficha">')
    return partes[numero]


def test_una_ficha_por_compromiso_con_titulo_completo(fichas_plan):
    titulos = re.findall(r'<h2 class="ficha-titulo">(.*?)</h2>', fichas_plan)
    assert titulos == ["Compromiso 1: Datos abiertos", "Compromiso 2: Mujeres"]
    assert "Abrir datos." in _ficha(fichas_plan, 1)


def test_responsables_y_participantes(fichas_plan):
    ficha = _ficha(fichas_plan, 1)
    assert "<dt>Sociedad civil (OSC)</dt><dd>Red Ciudadana; Acción Ciudadana</dd>" in ficha
    assert "<dt>Otros actores</dt><dd>CoST- Guatemala</dd>" in ficha


def test_linea_de_tiempo_en_orden_de_registro_hasta_el_corte(fichas_plan):
    hito = _ficha(fichas_plan, 1).split("Hito 1.2")[1]
    # 1.2.2 (20/01) se registró antes que 1.2.1 (01/02); 1.2.3 (02/04) es posterior al corte.
    fechas = re.findall(r"<li><strong>([\d-]+ [\d:]+)</strong> · ([\d.]+)", hito)
    assert fechas == [("2025-01-20 08:00", "1.2.2"), ("2025-02-01 08:00", "1.2.1")]


def test_plazo_estado_y_avance_de_cada_hito(fichas_plan):
    ficha2 = _ficha(fichas_plan, 2)
    assert "Plazo: sin fechas en el tablero (no puede quedar vencido)" in ficha2
    assert "Plazo: 2024-06-01 a 2024-12-31 · Estado: <strong>No iniciado</strong> · <strong>vencido</strong>" in ficha2


def test_enlace_de_evidencia_pulsable(fichas_plan):
    assert '<a class="ficha-enlace" href="https://datos.example.org/uno">https://datos.example.org/uno</a>' in fichas_plan


def test_enlace_sin_comprobaciones_dice_sin_comprobar_al_corte(fichas_plan):
    assert (
        '<a class="ficha-enlace" href="https://datos.example.org/uno">https://datos.example.org/uno</a> '
        '<span class="ficha-comprobacion ficha-comprobacion-sin_comprobar">(sin comprobar al corte)</span>'
    ) in fichas_plan


@pytest.mark.parametrize(
    "periodo, url, estado, texto",
    [
        pytest.param("2025-T1", "https://datos.example.org/uno", "roto", "enlace comprobado el 2025-03-20: roto (404)", id="marzo-roto"),
        pytest.param("2025-T1", "https://actas.example.org/taller", "ok", "enlace comprobado el 2025-03-20: ok (200)", id="marzo-ok"),
        pytest.param("2025-T1", "https://capacita.example.org/quiche", "sin_respuesta",
                     "enlace comprobado el 2025-03-20: sin respuesta", id="marzo-sin-respuesta"),
        pytest.param("2025-T1", "https://datos.example.org/dos", "sin_comprobar", "sin comprobar al corte", id="marzo-sin-comprobar"),
        pytest.param("2025-T2", "https://actas.example.org/taller", "redirigido",
                     "enlace comprobado el 2025-04-10: redirigido a https://actas.example.org/nuevo/taller (200)", id="junio-redirigido"),
        pytest.param("2025-T2", "https://datos.example.org/uno", "ok", "enlace comprobado el 2025-04-10: ok (200)", id="junio-reparado"),
    ],
)
def test_cada_enlace_con_su_comprobacion_al_corte(plan_enlaces, periodo, url, estado, texto):
    ctx = Contexto(ev=Evaluacion.desde_textos(periodo), datos="", clave=("plan-enlaces-fichas", "0"), tablas=plan_enlaces)
    html = html_fichas(ctx)
    assert (
        f'<a class="ficha-enlace" href="{url}">{url}</a> '
        f'<span class="ficha-comprobacion ficha-comprobacion-{estado}">({texto})</span>'
    ) in html
    assert limpiar_html(html) == html


def test_solo_enlaces_http_y_texto_escapado(plan):
    avances = plan.avances.copy()
    avances.loc[avances["avance_id"] == "1.1.1", "urls"] = "javascript:alert(1) https://ok.example/a?b=1&c=2"
    compromisos = plan.compromisos.copy()
    compromisos.loc[compromisos["compromiso"] == 1, "titulo"] = "<script>alert(1)</script>"
    html = html_fichas(_ctx(replace(plan, avances=avances, compromisos=compromisos), "plan-fichas-hostil"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a class="ficha-enlace" href="https://ok.example/a?b=1&amp;c=2">' in html
    # El saneado del exportador no cambia nada: ni etiquetas ni clases fuera de la lista blanca.
    assert limpiar_html(html) == html


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("https://a.example/x https://a.example/x", ["https://a.example/x"]),
        ("ftp://a.example/x mailto:x@y.z", []),
        ("", []),
    ],
    ids=["sin-repetir", "otros-protocolos", "vacio"],
)
def test_enlaces(texto, esperado):
    assert enlaces(texto) == esperado


def test_alertas_del_compromiso_con_etiqueta_legible(fichas_plan):
    ficha2 = _ficha(fichas_plan, 2).split("<h3>Alertas</h3>")[1]
    filas = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", ficha2)
    # Compromiso 2: porcentaje reportado 10 % frente a 0 %, hito 2.1 sin fechas, avance 2.2.1 fuera de plazo.
    assert filas == [
        ("Porcentaje reportado distinto del recalculado", "—"),
        ("Hito sin fechas", "2.1"),
        ("Avance fuera de plazo", "2.2"),
    ]
    assert "_" not in "".join(f[0] for f in filas)


def test_valoraciones_se_muestran_si_estan_en_las_metricas(plan):
    ctx = _ctx(plan, "plan-fichas-valoradas")
    metricas = dict(ctx.metricas)
    metricas["metricas_compromisos"] = metricas["metricas_compromisos"].assign(completitud_valorada=["sustancial", pd.NA])
    ctx.__dict__["metricas"] = metricas
    f1, f2 = datos_fichas(ctx)
    assert f1["valoraciones"] == [("Completitud valorada", "sustancial")]
    assert f2["valoraciones"] == [("Completitud valorada", "sin valorar")]
    assert "<th>Completitud valorada</th>" in html_fichas(ctx)


def test_sin_valoraciones_no_hay_columna(fichas_plan):
    assert "valorad" not in fichas_plan


def test_responsables_con_el_nombre_del_catalogo_y_gobierno_no_repetido(fichas_plan):
    ficha = _ficha(fichas_plan, 1)
    # El tablero escribe «Comisión de Gobierno Abierto y Electrónico» en responsables y en GOBIERNO;
    # el catálogo de alias la llama como los hitos, y la lista de gobierno sería la misma otra vez.
    assert "<dt>Responsables de implementación</dt><dd>Comisión Presidencial de Gobierno Abierto y Electrónico</dd>" in ficha
    assert "<dt>Gobierno</dt>" not in ficha


def test_organizaciones_escritas_igual_en_todas_las_fichas():
    from analisis.lectura.paquete import leer_paquete

    tablas = leer_paquete("data/processed")
    html = html_fichas(Contexto(ev=Evaluacion.desde_textos("2025-T2"), datos="", clave=("fichas-real", "0"), tablas=tablas))
    ficha4, ficha5 = _ficha(html, 4), _ficha(html, 5)
    # Tablero, línea 295 (compromiso 4): «Alas de Mariposas»; línea 407 (compromiso 5): «Alas de mariposas».
    assert "Alas de Mariposas" in ficha4 and "Alas de Mariposas" in ficha5 and "Alas de mariposas" not in ficha5
    # Línea 301 (compromiso 4): «FLACSO y Cruz Roja»; FLACSO figura sola en los compromisos 2, 5 y 6.
    osc4 = ficha4.split("<dt>Sociedad civil (OSC)</dt><dd>")[1].split("</dd>")[0].split("; ")
    assert "FLACSO" in osc4 and "Cruz Roja" in osc4
