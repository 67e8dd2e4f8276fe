"""El exportador de nbconvert ``analisis_pdf``: cuaderno → HTML del informe → PDF.

Registrado en el grupo ``nbconvert.exporters`` (``jupyter nbconvert --to
analisis_pdf cuaderno.ipynb``). Aparte de :mod:`analisis.informe.pdf` porque
su base importa nbconvert (~0,5 s de CPU), que el proceso principal del
informe, que une el PDF, no necesita.
"""

from __future__ import annotations

from nbconvert.exporters import Exporter
from traitlets import default

from .html import clase_exportador_html, pagina_html
from .pdf import pdf_bytes


class ExportadorPDF(Exporter):
    """Exportador de nbconvert: cuaderno → HTML del informe → PDF con WeasyPrint.

    Registrado como punto de entrada ``analisis_pdf`` del grupo
    ``nbconvert.exporters``. Usa el exportador HTML del informe
    (:func:`analisis.informe.html.clase_exportador_html`): código oculto,
    salidas saneadas, etiquetas ``ocultar``/``ocultar_salida``/``apaisado``.
    """

    export_from_notebook = "PDF del informe (WeasyPrint)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        exportador_html = clase_exportador_html()(parent=self)
        cuerpo, resources = exportador_html.from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return pdf_bytes(pagina_html(cuerpo, resources["titulo_informe"])), resources
