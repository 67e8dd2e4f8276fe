"""Lo que los procesos de trabajo del informe cargan una sola vez, en el servidor de procesos.

Los procesos de trabajo (:class:`analisis.informe.ejecucion.GrupoDeNucleos`)
nacen por ``fork`` de un servidor (el *forkserver* de ``multiprocessing``) que
importa este módulo antes de crear el primero. Importarlo deja hecho en ese
servidor lo que cada proceso haría igual al empezar, y que cada uno hereda
ya hecho:

* importar nbconvert y WeasyPrint (con papermill, nbformat y jupyter_client,
  que el servidor ya importa para todo grupo de núcleos:
  ``ejecucion._PRECARGA``), ~1,3 s de CPU;
* compilar las plantillas Jinja del HTML (el primer cuaderno tardaba ~0,35 s más
  que los demás);
* que WeasyPrint inicie fontconfig y que cffi analice los tipos de C de Pango
  (``ffi.new("PangoRectangle *")``...), cosa que hace la primera vez que
  maqueta cada tipo de caja (~0,3 s).

Con dos procesos de trabajo, eso se paga una vez y no dos, y mientras el
proceso principal aún lee los datos. Al final, ``gc.freeze`` aparta todo lo
cargado de las colecciones de basura: los procesos hijos no recorren (ni
copian, al tocar sus contadores) esos objetos en cada colección.

Calentar es solo un atajo: si algo falla aquí (WeasyPrint sin Pango, por
ejemplo), el servidor sigue, y el error de verdad lo da el trabajo mismo,
con su mensaje claro.
"""

from __future__ import annotations

import contextlib
import gc

import nbformat

from . import html, pdf

# Una muestra de lo que maquetan las secciones: texto normal, negrita,
# cursiva, código, una tabla con cabecera, una lista y un gráfico SVG con texto.
_MUESTRA_HTML = (
    "<p>Texto <b>negrita</b> <i>cursiva</i> <code>código</code> ñ á 1 234,5 %</p>"
    "<table><caption>Tabla</caption><thead><tr><th>Columna</th></tr></thead>"
    "<tbody><tr><td>Celda</td></tr></tbody></table><ul><li>Elemento</li></ul>"
)
_MUESTRA_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40pt" height="20pt" viewBox="0 0 40 20">'
    '<path d="M 0 0 L 40 20" style="stroke: #000"/><text x="2" y="12" style="font: 8px sans-serif">Eje</text></svg>'
)


def _calentar() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Título\n\nTexto con **negrita**."),
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output("display_data", data={"text/html": _MUESTRA_HTML, "text/plain": "x"}),
                    nbformat.v4.new_output("display_data", data={"image/svg+xml": _MUESTRA_SVG, "text/plain": "x"}),
                    nbformat.v4.new_output("stream", name="stdout", text="texto\n"),
                ],
            ),
        ]
    )
    cuerpo = html.fragmento_html(nb)
    pdf.maquetar_seccion("precarga", "Título", pdf.cuerpo_de_seccion("Título", cuerpo))


with contextlib.suppress(Exception):
    _calentar()
gc.collect()
gc.freeze()
