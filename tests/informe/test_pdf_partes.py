"""El informe compuesto por partes (cada sección, y las fichas por trozos, maquetadas aparte y unidas).

La referencia es el mismo informe maquetado como un solo documento de WeasyPrint
(:func:`html_informe` → :func:`html_a_pdf`), que numera páginas, índice,
marcadores y destinos por sí mismo: el compuesto por partes debe decir lo mismo.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import markupsafe
import pikepdf
import pytest
from bs4 import BeautifulSoup

from analisis.informe import pdf as modulo_pdf
from analisis.informe.pdf import componer_informe, html_a_pdf, html_informe, trozos_de_seccion

PORTADA = {"titulo": "Evaluación del plan", "periodo": "2025-T2", "fecha_corte": date(2025, 6, 30)}
APENDICE = "<h2>Métodos</h2><p>Cómo se calcula.</p>"


def _fichas(n: int) -> markupsafe.Markup:
    fichas = "".join(
        f'<div class="ficha"><h2 class="ficha-titulo">Compromiso {i}: Datos abiertos {i}</h2>'
        f"<p>Hito {i}.1 cumplido.</p></div>"
        for i in range(1, n + 1)
    )
    return markupsafe.Markup(
        '<div class="cuaderno"><div class="celda"><p>Una ficha por compromiso.</p></div>'
        f'<div class="celda"><div class="salida"><div class="fichas">{fichas}</div></div></div>'
        '<div class="celda"><p>Fin de las fichas.</p></div></div>'
    )


SECCIONES = [
    ("Resumen ejecutivo", markupsafe.Markup('<div class="cuaderno"><h2>En pocas palabras</h2><p>Texto.</p></div>')),
    # Una celda apaisada: su página va en horizontal y el pie se superpone a esa página.
    ("Cronograma", markupsafe.Markup(
        '<div class="cuaderno"><h2>Plazos</h2><div class="celda apaisado"><p>Tabla ancha.</p></div></div>'
    )),
    ("Fichas de los compromisos", _fichas(5)),
]


def _requiere(programa: str) -> str:
    ruta = shutil.which(programa)
    if ruta is None:
        pytest.skip(f"{programa} (poppler-utils) no está instalado")
    return ruta


def _textos(pdf: Path) -> list[str]:
    texto = subprocess.run([_requiere("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(pagina.split()) for pagina in texto.split("\f")[:-1]]


def _estructura(pdf: Path) -> dict:
    """Marcadores, destinos con nombre y enlaces internos, con páginas por número; tamaño de cada página."""
    with pikepdf.open(pdf) as documento:
        numero = {pagina.objgen: i + 1 for i, pagina in enumerate(documento.pages)}
        marcadores = []

        def recorrer(items, nivel):
            for item in items:
                destino = item.obj.Dest
                marcadores.append((nivel, item.title, numero[destino[0].objgen], round(float(destino[3]), 1)))
                recorrer(item.children, nivel + 1)

        with documento.open_outline() as esquema:
            recorrer(esquema.root, 1)
        nombres = documento.Root.Names.Dests.Names
        destinos = {str(nombres[i]): numero[nombres[i + 1][0].objgen] for i in range(0, len(nombres), 2)}
        enlaces = [
            (i + 1, str(a.Dest)) for i, pagina in enumerate(documento.pages) for a in pagina.get("/Annots", []) if "/Dest" in a
        ]
        tamanos = [tuple(round(float(x)) for x in pagina.mediabox) for pagina in documento.pages]
        return {"marcadores": marcadores, "destinos": destinos, "enlaces": enlaces, "tamaños": tamanos}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> tuple[Path, Path]:
    """(por partes, de un solo documento): fichas de a 2 por parte, para que haya varias."""
    carpeta = tmp_path_factory.mktemp("partes")
    entero = carpeta / "entero.pdf"
    html_a_pdf(html_informe(SECCIONES, PORTADA, APENDICE), entero)
    por_partes = carpeta / "partes.pdf"
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(modulo_pdf, "FICHAS_POR_PARTE", 2)
        componer_informe(SECCIONES, PORTADA, APENDICE, por_partes)
    return por_partes, entero


def test_mismo_texto_en_cada_pagina_que_un_solo_documento(pdfs):
    # Índice con números, cabecera con el título de la sección (también en los
    # trozos sin título) y pie «Página N de M» en cada página menos la portada.
    por_partes, entero = pdfs
    assert _textos(por_partes) == _textos(entero)


def _pies(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Por página, las palabras del pie («Página N de M») con su posición, según pdftotext."""
    cajas = subprocess.run([_requiere("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    paginas = []
    for pagina in cajas.split("<page ")[1:]:
        palabras = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', pagina)
        pie = [(texto, round(float(x), 1), round(float(y), 1)) for x, y, texto in palabras]
        inicio = max((i for i, (texto, _, _) in enumerate(pie) if texto == "Página"), default=len(pie))
        paginas.append(pie[inicio:])
    return paginas


def test_el_pie_esta_donde_lo_pone_un_solo_documento(pdfs):
    # Cada pie se copia de una hoja modelo por orientación con los glifos de su
    # línea: mismo sitio, centrado, que el de WeasyPrint en su caja de margen,
    # también en la página apaisada.
    por_partes, entero = pdfs
    pies = _pies(por_partes)
    assert pies == _pies(entero)
    assert [len(p) for p in pies] == [0] + [4] * 10


def test_mismos_marcadores_destinos_enlaces_y_tamanos_que_un_solo_documento(pdfs):
    por_partes, entero = pdfs
    assert _estructura(por_partes) == _estructura(entero)


def test_las_fichas_se_reparten_y_el_pie_cuenta_todas_las_paginas(pdfs):
    por_partes, _ = pdfs
    textos = _textos(por_partes)
    # Portada, índice, resumen, cronograma (vertical + apaisada), cinco fichas y el apéndice.
    assert len(textos) == 11
    assert "Página 1 de" not in textos[0]
    for numero, texto in enumerate(textos[1:], start=2):
        assert texto.endswith(f"Página {numero} de 11"), texto
    assert re.search(r"Fichas de los compromisos \.+ 6 Apéndice \.+ 11", textos[1])
    assert _estructura(por_partes)["tamaños"][4] == (0, 0, 842, 595)


def test_mismos_bytes_dos_veces(tmp_path, pdfs):
    por_partes, _ = pdfs
    otro = tmp_path / "otro.pdf"
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(modulo_pdf, "FICHAS_POR_PARTE", 2)
        componer_informe(SECCIONES, PORTADA, APENDICE, otro)
    assert otro.read_bytes() == por_partes.read_bytes()


@pytest.mark.parametrize(
    "por_parte,esperados",
    [(2, [[1, 2], [3, 4], [5]]), (5, [[1, 2, 3, 4, 5]])],
    ids=["tres-trozos", "un-trozo"],
)
def test_trozos_de_seccion_cortan_entre_fichas(por_parte, esperados):
    trozos = trozos_de_seccion(_fichas(5), por_parte)
    assert [[int(re.search(r"\d+", h.get_text()).group()) for h in BeautifulSoup(t, "html.parser").select(".ficha-titulo")]
            for t in trozos] == esperados
    # Cada trozo repite los envoltorios de las fichas (mismas reglas de estilo) y es HTML bien cerrado.
    for trozo in trozos:
        sopa = BeautifulSoup(trozo, "html.parser")
        assert sopa.select("div.cuaderno > div.celda > div.salida > div.fichas > div.ficha")
        assert str(sopa) == str(trozo)
    # Lo de antes de las fichas va solo en el primero; lo de después, solo en el último.
    assert "Una ficha por compromiso." in trozos[0] and all("Una ficha" not in t for t in trozos[1:])
    assert "Fin de las fichas." in trozos[-1] and all("Fin de las" not in t for t in trozos[:-1])


def _tabla(filas: int, clase: str = "datos", extra: str = "", leyenda: str = "") -> str:
    cuerpo = "".join(f"<tr><td>Fila {i}</td><td>{i * 10}</td></tr>" for i in range(1, filas + 1))
    return (
        f'<table class="{clase}">{leyenda}<colgroup><col style="width: 70.0%"><col style="width: 30.0%"></colgroup>'
        f"<thead><tr><th>Hito</th><th>Avance</th></tr></thead><tbody>{cuerpo}</tbody>{extra}</table>"
    )


def _con_tablas(*tablas: str) -> markupsafe.Markup:
    celdas = "".join(
        f'<div class="celda"><div class="salida">{t}</div></div><div class="celda"><p>Tras la tabla {i}.</p></div>'
        for i, t in enumerate(tablas, start=1)
    )
    return markupsafe.Markup(f'<div class="cuaderno"><div class="celda"><p>Antes de las tablas.</p></div>{celdas}</div>')


def _filas_de(trozo: str) -> list[list[int]]:
    """Por cada tabla del trozo, los números de sus filas del cuerpo."""
    return [
        [int(re.search(r"\d+", td.get_text()).group()) for td in tabla.select("tbody > tr > td:first-child")]
        for tabla in BeautifulSoup(trozo, "html.parser").find_all("table")
    ]


@pytest.mark.parametrize(
    "filas,por_parte,esperados",
    [
        (10, 4, [[[1, 2, 3, 4]], [[5, 6, 7, 8]], [[9, 10]]]),
        # Tres grupos de 3 serían impares: de 4 en 4, cada grupo empieza en una fila impar (filas alternas).
        (7, 3, [[[1, 2, 3, 4]], [[5, 6, 7]]]),
        (8, 8, [[[1, 2, 3, 4, 5, 6, 7, 8]]]),
    ],
    ids=["tres-grupos", "grupos-pares", "cabe-entera"],
)
def test_una_tabla_larga_se_parte_en_grupos_de_filas(filas, por_parte, esperados):
    trozos = trozos_de_seccion(_con_tablas(_tabla(filas)), filas_por_parte=por_parte)
    assert [_filas_de(t) for t in trozos] == esperados


def test_cada_grupo_de_filas_repite_tabla_anchos_y_cabecera():
    leyenda = "<caption>Hitos del plan</caption>"
    trozos = trozos_de_seccion(_con_tablas(_tabla(6, "datos tabla-ajustada", leyenda=leyenda)), filas_por_parte=2)
    assert len(trozos) == 3
    for numero, trozo in enumerate(trozos):
        sopa = BeautifulSoup(trozo, "html.parser")
        # Bien cerrado, dentro de los mismos envoltorios y con las mismas clases.
        assert str(sopa) == str(trozo)
        (tabla,) = sopa.select("div.cuaderno > div.celda > div.salida > table.datos.tabla-ajustada")
        assert [c["style"] for c in tabla.select("colgroup > col")] == ["width: 70.0%", "width: 30.0%"]
        assert [th.get_text() for th in tabla.select("thead th")] == ["Hito", "Avance"]
        # La leyenda, como en una tabla que sigue en otra página, solo al principio.
        assert (tabla.find("caption") is not None) == (numero == 0)
    assert "Antes de las tablas." in trozos[0] and all("Antes de" not in t for t in trozos[1:])
    assert "Tras la tabla 1." in trozos[-1] and all("Tras la tabla" not in t for t in trozos[:-1])


def test_dos_tablas_largas_comparten_el_trozo_de_en_medio():
    trozos = trozos_de_seccion(_con_tablas(_tabla(4), _tabla(4)), filas_por_parte=2)
    assert [_filas_de(t) for t in trozos] == [[[1, 2]], [[3, 4], [1, 2]], [[3, 4]]]
    assert "Tras la tabla 1." in trozos[1] and "Tras la tabla 2." in trozos[2]


def test_fichas_y_tabla_larga_se_parten_las_dos():
    cuerpo = markupsafe.Markup(str(_fichas(3)).replace("Fin de las fichas.", "Fin de las fichas.</p>" + _tabla(4) + "<p>"))
    trozos = trozos_de_seccion(cuerpo, por_parte=2, filas_por_parte=2)
    fichas = [len(BeautifulSoup(t, "html.parser").select(".ficha")) for t in trozos]
    assert fichas == [2, 1, 0] and [_filas_de(t) for t in trozos] == [[], [[1, 2]], [[3, 4]]]


@pytest.mark.parametrize(
    "tabla",
    [
        _tabla(6, extra="<tfoot><tr><td>Total</td><td>210</td></tr></tfoot>"),
        _tabla(6).replace("<td>Fila 1</td>", '<td rowspan="2">Fila 1</td>'),
        _tabla(6).replace("</tbody>", "</tbody><tbody><tr><td>Fila 7</td><td>70</td></tr></tbody>"),
        # Dentro de una ficha, la tabla va entera con su ficha.
        f'<div class="fichas"><div class="ficha">{_tabla(6)}</div></div>',
    ],
    ids=["con-pie", "rowspan", "dos-tbody", "dentro-de-una-ficha"],
)
def test_las_tablas_irregulares_no_se_parten(tabla):
    cuerpo = _con_tablas(tabla)
    assert trozos_de_seccion(cuerpo, filas_por_parte=2) == [cuerpo]


def test_sin_cortes_el_cuerpo_queda_tal_cual():
    # BeautifulSoup escribiría «<br/>»: sin nada que partir, ni se vuelve a escribir (mismos bytes).
    cuerpo = markupsafe.Markup(str(_con_tablas(_tabla(3))).replace("Antes de las tablas.", "Antes<br>de las tablas."))
    assert trozos_de_seccion(cuerpo, filas_por_parte=4) == [cuerpo]
    assert trozos_de_seccion(cuerpo, filas_por_parte=2)[0].startswith('<div class="cuaderno"><div class="celda"><p>Antes<br/>')


def test_cada_grupo_de_filas_empieza_en_pagina_nueva_del_informe(tmp_path):
    salida = tmp_path / "informe.pdf"
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(modulo_pdf, "FILAS_POR_PARTE", 4)
        componer_informe([("Avance por hito", _con_tablas(_tabla(10)))], PORTADA, "", salida)
    textos = _textos(salida)
    # Portada, índice y una página por grupo de filas, cada una con la cabecera; el pie cuenta todas.
    assert len(textos) == 5
    for pagina, (primera, ultima) in zip(textos[2:], [(1, 4), (5, 8), (9, 10)]):
        assert pagina.startswith("Avance por hito") and "Hito Avance" in pagina
        assert f"Fila {primera} " in pagina and f"Fila {ultima} " in pagina
        assert f"Fila {primera - 1} " not in pagina and f"Fila {ultima + 1} " not in pagina
    assert textos[-1].endswith("Tras la tabla 1. Página 5 de 5")
