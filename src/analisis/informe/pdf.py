"""PDF del informe con WeasyPrint (sin TeX ni navegador).

* :class:`ExportadorPDF`: exportador de nbconvert registrado como
  ``analisis_pdf`` (``jupyter nbconvert --to analisis_pdf cuaderno.ipynb``).
* :func:`componer_informe`: un único PDF A4 con portada, índice con números de
  página, una sección por cuaderno y un apéndice.
* :func:`html_a_pdf`: cualquier HTML (de confianza) a PDF.

El HTML de cada cuaderno sale de :mod:`analisis.html`, que ya sanea los datos.

**Reproducible.** Dos renderizados del mismo HTML dan el mismo PDF byte a byte:
WeasyPrint no escribe fechas de creación ni ``/ID`` si el HTML no las pide,
pero al recortar las fuentes fontTools graba la hora actual en la tabla
``head`` de cada fuente incrustada. Se fija con ``SOURCE_DATE_EPOCH`` (la
convención de *reproducible builds*, que fontTools respeta) solo mientras se
escribe el PDF, salvo que el entorno ya la defina
(:func:`analisis.graficos.fecha_reproducible`).

Los archivos adjuntos (:class:`Adjunto`: el paquete de datos, las
valoraciones) llevan como fechas de creación y modificación esa misma época
fija, no la hora del sistema ni la del archivo.

**PDF/A-3b.** El informe se escribe con la variante ``pdf/a-3b`` de WeasyPrint,
la que admite archivos incrustados de cualquier tipo (CSV, JSON) ligados al
documento: quien recibe el PDF recibe los datos con que se hizo. WeasyPrint
añade el perfil sRGB y los metadatos XMP; el ``/ID`` que exige PDF/A es una
huella del contenido, igual en cada ejecución.

**Sin conexión.** WeasyPrint solo puede leer URIs ``data:``: ni red ni archivos
locales. Las imágenes del apéndice, si las hay, deben ir incrustadas así.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import markupsafe
import nbformat
from bs4 import BeautifulSoup
from nbconvert.exporters import Exporter
from traitlets import default

from ..errores import ErrorParametro
from ..lectura.fechas import NOMBRES_MESES
from .graficos import EPOCA_REPRODUCIBLE, fecha_reproducible
from ..escritura import escribir_archivo
from .html import ExportadorHTML, fragmento_html, hoja_de_estilo, pagina_html
from .plantilla import renderizar
from .texto import neutralizar_bidi


#: Variante de PDF de WeasyPrint: PDF/A-3b admite adjuntos de cualquier tipo.
VARIANTE_PDF = "pdf/a-3b"


@dataclass(frozen=True)
class Adjunto:
    """Un archivo incrustado en el PDF: nombre que verá el lector, contenido y descripción."""

    nombre: str
    contenido: bytes
    descripcion: str = ""


def adjuntos_de_carpeta(carpeta: Path, descripcion: str, prefijo: str = "") -> list[Adjunto]:
    """Los archivos de ``carpeta`` (sin subcarpetas ni ocultos), en orden de nombre."""
    return [
        Adjunto(prefijo + p.name, p.read_bytes(), descripcion)
        for p in sorted(Path(carpeta).iterdir())
        if p.is_file() and not p.name.startswith(".")
    ]


def _renderizar(html: str, adjuntos: tuple[Adjunto, ...] | list[Adjunto] = ()):
    # Importación diferida: nbconvert importa este módulo solo para listar sus
    # exportadores, y WeasyPrint carga Pango al importarse.
    from weasyprint import HTML, Attachment
    from weasyprint.urls import URLFetcher

    lector = URLFetcher(allowed_protocols={"data"})
    epoca = datetime.fromtimestamp(int(EPOCA_REPRODUCIBLE), tz=timezone.utc)
    with fecha_reproducible():
        documento = HTML(string=neutralizar_bidi(html), url_fetcher=lector).render()
        incrustados = [
            Attachment(
                string=a.contenido, name=a.nombre, description=a.descripcion,
                created=epoca, modified=epoca, relationship="Data",
            )
            for a in adjuntos
        ]
        return documento, documento.write_pdf(pdf_variant=VARIANTE_PDF, attachments=incrustados)


def pdf_bytes(html: str, adjuntos: tuple[Adjunto, ...] | list[Adjunto] = ()) -> bytes:
    """PDF (bytes reproducibles) de un documento HTML completo."""
    return _renderizar(html, adjuntos)[1]


def html_a_pdf(html: str, salida: Path, adjuntos: tuple[Adjunto, ...] | list[Adjunto] = ()) -> int:
    """Convierte un documento HTML (de confianza) en PDF y lo escribe atómicamente.

    ``adjuntos`` se incrustan en el PDF. Devuelve el número de páginas.
    """
    documento, datos = _renderizar(html, adjuntos)
    escribir_archivo(Path(salida), datos)
    return len(documento.pages)


class ExportadorPDF(Exporter):
    """Exportador de nbconvert: cuaderno → HTML del informe → PDF con WeasyPrint.

    Registrado como punto de entrada ``analisis_pdf`` del grupo
    ``nbconvert.exporters``. Usa la misma configuración que
    :class:`analisis.html.ExportadorHTML` (código oculto, salidas saneadas,
    etiquetas ``ocultar``/``ocultar_salida``/``apaisado``).
    """

    export_from_notebook = "PDF del informe (WeasyPrint)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        exportador_html = ExportadorHTML(parent=self)
        cuerpo, resources = exportador_html.from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return pdf_bytes(pagina_html(cuerpo, resources["titulo_informe"])), resources


# ---------- Informe compuesto ----------

#: Etiquetas de la portada para las claves habituales; el resto de claves se
#: muestran tal como las da quien llama («Elaborado por», «Versión»...).
ETIQUETAS_PORTADA = {
    "periodo": "Periodo",
    "fecha_corte": "Fecha de corte",
    "plan": "Plan de acción",
    "pais": "País",
    "autor": "Elaborado por",
    "version": "Versión",
}
_CLAVES_TITULO = ("titulo", "título")
_CLAVES_SUBTITULO = ("subtitulo", "subtítulo")


def fecha_larga(valor: date | datetime) -> str:
    """``date(2025, 3, 5)`` → ``5 de marzo de 2025``."""
    return f"{valor.day} de {NOMBRES_MESES[valor.month - 1]} de {valor.year}"


def _valor_portada(valor) -> str:
    if isinstance(valor, (date, datetime)):
        return fecha_larga(valor)
    return str(valor)


def _etiqueta_portada(clave: str) -> str:
    if clave in ETIQUETAS_PORTADA:
        return ETIQUETAS_PORTADA[clave]
    texto = clave.replace("_", " ").strip()
    return texto[:1].upper() + texto[1:]


def _datos_portada(portada: dict) -> tuple[str, str | None, list[tuple[str, str, bool]]]:
    """Título, subtítulo y filas (etiqueta, valor, ¿es un enlace?) de la portada."""
    titulo = next((portada[c] for c in _CLAVES_TITULO if portada.get(c)), None)
    if not titulo:
        raise ErrorParametro("la portada del informe necesita un «titulo»")
    subtitulo = next((portada[c] for c in _CLAVES_SUBTITULO if portada.get(c)), None)
    filas = []
    for clave, valor in portada.items():
        if clave in _CLAVES_TITULO or clave in _CLAVES_SUBTITULO or valor is None or valor == "":
            continue
        texto = _valor_portada(valor)
        # Una URL de la portada (el tablero publicado) se puede pulsar.
        filas.append((_etiqueta_portada(clave), texto, bool(re.fullmatch(r"https?://\S+", texto))))
    return str(titulo), (str(subtitulo) if subtitulo else None), filas


def _sin_titulo_repetido(fragmento: str, titulo: str) -> str:
    """Quita el primer título del cuaderno si dice lo mismo que el de su sección.

    Lo habitual es titular la sección con el ``# Título`` del propio cuaderno;
    sin esto, cada sección empezaría con el mismo título dos veces.
    """
    sopa = BeautifulSoup(fragmento, "html.parser")
    primero = sopa.find(["h1", "h2", "h3", "h4", "h5", "h6"])
    if primero is None or primero.name != "h1":
        return fragmento
    if " ".join(primero.get_text(" ").split()).casefold() != " ".join(titulo.split()).casefold():
        return fragmento
    celda = primero.find_parent("div", class_="celda")
    primero.decompose()
    if celda is not None and not celda.get_text(strip=True) and celda.find("img") is None:
        celda.decompose()
    return str(sopa)


def cuerpo_de_seccion(titulo: str, cuaderno: nbformat.NotebookNode | markupsafe.Markup) -> markupsafe.Markup:
    """Cuerpo saneado de una sección del PDF, sin el primer título si repite ``titulo``.

    ``cuaderno`` es el cuaderno o su cuerpo ya saneado por
    :func:`analisis.informe.html.fragmento_html` (el mismo de su página HTML,
    que así no se calcula dos veces).
    """
    fragmento = cuaderno if isinstance(cuaderno, markupsafe.Markup) else fragmento_html(cuaderno)
    return markupsafe.Markup(_sin_titulo_repetido(fragmento, titulo))  # noqa: S704  (saneado arriba)


def html_informe(
    secciones: list[tuple[str, nbformat.NotebookNode | markupsafe.Markup]],
    portada: dict,
    apendice_html: str = "",
) -> str:
    """HTML completo del informe compuesto (lo que :func:`componer_informe` pasa a PDF).

    Sale de la plantilla ``plantillas/compuesto.html.j2``, que escapa los
    títulos de sección y los valores de la portada. Cada sección es un
    cuaderno (su cuerpo sale saneado de :func:`analisis.informe.html.fragmento_html`)
    o el cuerpo que ya dio :func:`cuerpo_de_seccion` (Markup), que se inserta tal cual;
    ``apendice_html`` es HTML de confianza de quien llama y se inserta tal cual.
    """
    titulo, subtitulo, datos = _datos_portada(portada)
    return renderizar(
        "compuesto.html.j2",
        titulo=titulo,
        subtitulo=subtitulo,
        datos=datos,
        secciones=[
            {
                "ancla": f"seccion-{numero}",
                "titulo": titulo_seccion,
                "cuerpo": cuaderno if isinstance(cuaderno, markupsafe.Markup) else cuerpo_de_seccion(titulo_seccion, cuaderno),
            }
            for numero, (titulo_seccion, cuaderno) in enumerate(secciones, start=1)
        ],
        apendice=markupsafe.Markup(apendice_html),  # noqa: S704  (de confianza: ver arriba)
        hoja_de_estilo=markupsafe.Markup(hoja_de_estilo()),  # noqa: S704  (la del paquete)
    )


def componer_informe(
    secciones: list[tuple[str, nbformat.NotebookNode]],
    portada: dict,
    apendice_html: str,
    salida: Path,
    adjuntos: tuple[Adjunto, ...] | list[Adjunto] = (),
) -> None:
    """Escribe en ``salida`` un único PDF A4 con todo el informe.

    Orden: portada (``titulo``, ``subtitulo`` opcional y una línea por cada otra
    clave: ``periodo``, ``fecha_corte``… las fechas ``date`` se escriben en
    español), índice con el número de página de cada sección, cada cuaderno en
    una sección que empieza en página nueva con el título dado, y el apéndice
    (omitido si ``apendice_html`` está vacío). Si el cuaderno empieza con un
    ``# Título`` igual al de su sección, no se repite. Pie «Página N de M»
    salvo en la portada, que cuenta como página 1. ``adjuntos`` (el paquete de
    datos, las valoraciones) van incrustados en el PDF.
    """
    html_a_pdf(html_informe(secciones, portada, apendice_html), Path(salida), adjuntos)
