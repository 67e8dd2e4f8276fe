"""PDF del informe con WeasyPrint (sin TeX ni navegador).

* :class:`ExportadorPDF`: exportador de nbconvert registrado como
  ``analisis_pdf`` (``jupyter nbconvert --to analisis_pdf cuaderno.ipynb``).
* :func:`componer_informe`: un único PDF A4 con portada, índice con números de
  página, una sección por cuaderno y un apéndice, maquetado por partes
  (:func:`maquetar_seccion`, una sección o un trozo de fichas cada una) que
  :func:`unir_partes` une con pikepdf (ver «Informe compuesto por partes»).
* :func:`html_a_pdf`: cualquier HTML (de confianza) a PDF.

El HTML de cada cuaderno sale de :mod:`analisis.html`, que ya sanea los datos.

**Reproducible.** Dos renderizados del mismo HTML dan el mismo PDF byte a byte:
WeasyPrint no escribe fechas de creación ni ``/ID`` si el HTML no las pide,
pero al recortar las fuentes fontTools graba la hora actual en la tabla
``head`` de cada fuente incrustada. Se fija con ``SOURCE_DATE_EPOCH`` (la
convención de *reproducible builds*, que fontTools respeta) solo mientras se
escribe el PDF, salvo que el entorno ya la defina
(:func:`analisis.escritura.fecha_reproducible`).

Los archivos adjuntos (:class:`Adjunto`: el paquete de datos, las
valoraciones) llevan como fechas de creación y modificación esa misma época
fija, no la hora del sistema ni la del archivo.

**PDF/A-3b.** El informe se escribe con la variante ``pdf/a-3b`` de WeasyPrint,
la que admite archivos incrustados de cualquier tipo (CSV, JSON) ligados al
documento: quien recibe el PDF recibe los datos con que se hizo. WeasyPrint
añade el perfil sRGB y los metadatos XMP; el ``/ID`` que exige PDF/A es una
huella del contenido, igual en cada ejecución. En el informe compuesto, el
XMP, la intención de salida y los adjuntos son los de la parte de la portada,
y qpdf (pikepdf) escribe el ``/ID`` a partir del contenido de la unión.

**Sin conexión.** WeasyPrint solo puede leer URIs ``data:``: ni red ni archivos
locales. Las imágenes del apéndice, si las hay, deben ir incrustadas así.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

import markupsafe

from ..errores import AnalisisError, ErrorParametro
from ..lectura.fechas import NOMBRES_MESES
from ..escritura import EPOCA_REPRODUCIBLE, escribir_archivo, fecha_reproducible
from .html import fragmento_html, hoja_de_estilo, pagina_html
from .memoria import devolver_memoria
from .plantilla import renderizar
from .texto import neutralizar_bidi

# Como en html.py, nbformat y BeautifulSoup se importan donde se usan: el
# proceso principal, que une el PDF, no los necesita.
if TYPE_CHECKING:
    import nbformat


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


def _importar_weasyprint():
    """Importa WeasyPrint (una vez por proceso) sin que cffi busque sus bibliotecas con gcc.

    WeasyPrint prueba para cada biblioteca (GObject, Pango, HarfBuzz,
    fontconfig...) varios nombres, y cffi, con cada nombre que no carga
    directamente, llama a ``ctypes.util.find_library``, que en Linux ejecuta
    ``ldconfig -p`` y después ``gcc`` y ``ld`` por cada nombre que no
    encuentra: unos 200 procesos y 0,3 s de pared (0,2-0,3 s de CPU) en cada
    proceso que importa WeasyPrint. Los nombres de la misma lista que son el
    *soname* (``libpango-1.0.so.0``...) se cargan directamente con ``dlopen``,
    así que mientras se importa, ``find_library`` no busca nada. Si de ese modo
    no se encontrara alguna biblioteca (otro sistema), se importa otra vez con
    la búsqueda normal, que da el error de WeasyPrint si de verdad falta.
    """
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    buscar = ctypes.util.find_library
    ctypes.util.find_library = lambda nombre: None
    try:
        # WeasyPrint imprime un aviso en la salida estándar si no carga una biblioteca.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        for modulo in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[modulo]
        ctypes.util.find_library = buscar
        import weasyprint
    finally:
        ctypes.util.find_library = buscar
    return weasyprint


@functools.cache
def _hoja_de_las_partes():
    """La hoja de estilo del informe, analizada una vez por proceso para todas las partes.

    Cada parte (trozo de sección, portada, pies) es un documento propio: con la
    hoja dentro de su ``<style>``, WeasyPrint la volvía a analizar en cada uno,
    ≈ 18 ms de CPU por parte.
    Entra como hoja de usuario: pierde frente a cualquier regla de autor, como
    los añadidos de ``parte.html.j2``, que antes la seguían en el mismo
    ``<style>`` y ganaban igual; sus únicas ``!important`` son de ``@media screen``.
    """
    _importar_weasyprint()
    from weasyprint import CSS

    return CSS(string=hoja_de_estilo())


def _renderizar(html: str, adjuntos: tuple[Adjunto, ...] | list[Adjunto] = (), hojas=()):
    # Importación diferida: nbconvert importa este módulo solo para listar sus
    # exportadores, y WeasyPrint carga Pango al importarse.
    _importar_weasyprint()
    from weasyprint import HTML, Attachment
    from weasyprint.urls import URLFetcher

    lector = URLFetcher(allowed_protocols={"data"})
    epoca = datetime.fromtimestamp(int(EPOCA_REPRODUCIBLE), tz=timezone.utc)
    with fecha_reproducible():
        documento = HTML(string=neutralizar_bidi(html), url_fetcher=lector).render(stylesheets=list(hojas))
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
    from bs4 import BeautifulSoup

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
    partes = [
        {"ancla": ancla, "titulo": titulo_seccion, "cuerpo": cuerpo}
        for ancla, titulo_seccion, cuerpo in _secciones_con_ancla(secciones)
    ]
    return renderizar(
        "compuesto.html.j2",
        titulo=titulo,
        subtitulo=subtitulo,
        datos=datos,
        entradas=[{"ancla": s["ancla"], "titulo": s["titulo"], "pagina": None} for s in partes]
        + ([{"ancla": ANCLA_APENDICE, "titulo": TITULO_APENDICE, "pagina": None}] if apendice_html else []),
        secciones=partes,
        apendice=markupsafe.Markup(apendice_html),  # noqa: S704  (de confianza: ver arriba)
        hoja_de_estilo=markupsafe.Markup(hoja_de_estilo()),  # noqa: S704  (la del paquete)
    )


def ancla_de_seccion(numero: int) -> str:
    """El ``id`` de la sección ``numero`` (desde 1) del informe compuesto: la clave de sus partes."""
    return f"seccion-{numero}"


def _secciones_con_ancla(secciones) -> list[tuple[str, str, markupsafe.Markup]]:
    """(ancla, título, cuerpo saneado) de cada sección, en orden."""
    return [
        (
            ancla_de_seccion(numero),
            titulo_seccion,
            cuaderno if isinstance(cuaderno, markupsafe.Markup) else cuerpo_de_seccion(titulo_seccion, cuaderno),
        )
        for numero, (titulo_seccion, cuaderno) in enumerate(secciones, start=1)
    ]


ANCLA_APENDICE = "apendice"
TITULO_APENDICE = "Apéndice"


def componer_informe(
    secciones: list[tuple[str, nbformat.NotebookNode | markupsafe.Markup]],
    portada: dict,
    apendice_html: str,
    salida: Path,
    adjuntos: tuple[Adjunto, ...] | list[Adjunto] = (),
    partes: dict[str, list[Parte]] | None = None,
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

    Cada sección se maqueta como documento propio (:func:`maquetar_seccion`) y
    se suelta en cuanto es PDF: la memoria no crece con el informe entero.
    ``partes`` da las secciones ya maquetadas (por su ancla: ``seccion-1``…,
    ``apendice``), p. ej. mientras los demás cuadernos se ejecutaban; las que
    falten se maquetan aquí.
    """
    partes = partes or {}
    lista = []
    for ancla, titulo_seccion, cuerpo in _secciones_con_ancla(secciones):
        lista.append((ancla, titulo_seccion, partes.get(ancla) or maquetar_seccion(ancla, titulo_seccion, cuerpo)))
    if apendice_html:
        lista.append((ANCLA_APENDICE, TITULO_APENDICE, partes.get(ANCLA_APENDICE) or maquetar_apendice(apendice_html)))
    escribir_archivo(Path(salida), unir_partes(portada, lista, adjuntos))


# ---------- Informe compuesto por partes ----------
#
# WeasyPrint maqueta un documento entero antes de escribir la primera página, y
# guarda la maqueta de todas las páginas hasta el final: con 500 compromisos
# (unas 1 800 páginas) eso eran más de 3 GB, y el PDF solo podía empezar cuando
# había llegado el último cuaderno. Cada sección empieza en página nueva, así
# que se puede maquetar sola (y las fichas, por trozos de compromisos), escribir
# a PDF y soltar. Lo que dependía del documento entero se hace al unir:
# el índice, con los números de página ya sabidos; los marcadores del PDF, con
# el mismo algoritmo de WeasyPrint sobre los de todas las partes; los destinos
# de los enlaces internos, en un solo árbol de nombres; y el pie «Página N de M»,
# de unas hojas que solo llevan el pie, superpuestas a cada página.

#: Compromisos por parte en las fichas (~3,6 páginas cada uno): partes de unas 70 páginas.
FICHAS_POR_PARTE = 20
#: Filas (del cuerpo) por parte en las tablas más largas. Maquetar una fila cuesta
#: mucho más que una ficha por página (cada celda es una caja de WeasyPrint): la
#: tabla de hitos de 2 252 filas y 9 columnas ocupaba 45 páginas y más de 300 MB.
#: Par, para que las filas alternas (``nth-child(even)``) conserven su color.
FILAS_POR_PARTE = 300


@dataclass(frozen=True)
class Parte:
    """Un trozo del informe maquetado solo: su PDF y lo que hace falta para unirlo a los demás.

    ``paginas``: por página, su alto (px CSS) y sus marcadores tal como los da
    WeasyPrint (nivel, texto, posición, estado); ``anclas``: los ``id`` que contiene.
    Son datos simples: una parte puede maquetarse en otro proceso.
    """

    datos: bytes
    paginas: tuple[tuple[float, tuple], ...]
    anclas: frozenset[str]


def maquetar(html: str, adjuntos: tuple[Adjunto, ...] | list[Adjunto] = ()) -> Parte:
    """Maqueta una parte (``parte.html.j2``, sin la hoja del informe) y devuelve su PDF (PDF/A-3b) como :class:`Parte`."""
    documento, datos = _renderizar(html, adjuntos, hojas=(_hoja_de_las_partes(),))
    return Parte(
        datos,
        tuple((p.height, tuple(p.bookmarks)) for p in documento.pages),
        frozenset(a for p in documento.pages for a in p.anchors),
    )


def _cadena_css(texto: str) -> str:
    """Una cadena CSS entre comillas con ``texto`` (para ``content``)."""
    limpio = " ".join(str(texto).split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return markupsafe.Markup(f'"{limpio}"')  # noqa: S704  (comillas y barras escapadas)


def _html_parte(**contexto) -> str:
    datos = {
        "titulo_documento": "", "encabezado_css": "", "pie_css": "none", "entradas": [], "pies": [], "lineas": [],
        "clase": "", "ancla": "", "titulo": "", "cuerpo": "", **contexto,
    }
    return renderizar("parte.html.j2", **datos)


def trozos_de_seccion(
    cuerpo: str, por_parte: int | None = None, filas_por_parte: int | None = None
) -> list[markupsafe.Markup]:
    """El cuerpo de una sección partido en trozos que se maquetan cada uno como documento propio.

    Se corta entre fichas de compromisos, ``por_parte`` por trozo, y dentro de
    las tablas de más de ``filas_por_parte`` filas, entre grupos de filas. Cada
    ficha ya empieza en página nueva, así que cortar entre dos no cambia la
    maqueta. Cada grupo de filas empieza en página nueva: la página anterior
    puede quedar a medias (como mucho una página más por corte). Los grupos
    tienen un número par de filas (el último, las que queden), así las filas
    alternas conservan su color, y son tablas con los mismos atributos, anchos
    de columna (``colgroup``) y cabecera (``thead``, que WeasyPrint repite de
    todos modos en cada página); la leyenda (``caption``) va solo en el primero.

    Cada trozo repite los elementos que envuelven lo cortado (celda, salida,
    ``div.fichas``) para que les alcancen las mismas reglas de estilo; lo que
    hay antes del primer corte va en el primero y lo de después del último, en
    el último. Sin nada que cortar (pocas fichas, tablas cortas) es un solo
    trozo: el cuerpo tal cual, byte a byte. Sin ``por_parte`` ni
    ``filas_por_parte``, :data:`FICHAS_POR_PARTE` y :data:`FILAS_POR_PARTE`.
    """
    por_parte = por_parte or FICHAS_POR_PARTE
    filas_por_parte = filas_por_parte or FILAS_POR_PARTE
    entero = [markupsafe.Markup(cuerpo)]  # noqa: S704  (ya saneado)
    if cuerpo.count('class="ficha"') <= por_parte and cuerpo.count("<tr") <= filas_por_parte:
        return entero
    from bs4 import BeautifulSoup

    sopa = BeautifulSoup(cuerpo, "html.parser")
    sustituciones: dict[str, str] = {}
    contenedor = sopa.find("div", class_="fichas")
    fichas = contenedor.find_all("div", class_="ficha", recursive=False) if contenedor else []
    if len(fichas) > por_parte:
        _agrupar(sopa, fichas, por_parte, _corte(contenedor), sustituciones)
    for tabla in sopa.find_all("table"):
        cuerpo_tabla = _cuerpo_divisible(tabla)
        if cuerpo_tabla is None:
            continue
        filas = cuerpo_tabla.find_all("tr", recursive=False)
        if len(filas) <= filas_por_parte:
            continue
        grupos_n = -(-len(filas) // filas_por_parte)
        tamano = -(-len(filas) // grupos_n)
        tamano += tamano % 2  # cada grupo empieza en una fila impar: mismas filas alternas
        # Lo que se repite en cada grupo: anchos de columna y cabecera, antes del tbody.
        repetido = "".join(
            str(hijo) for hijo in tabla.find_all(["colgroup", "col", "thead"], recursive=False)
        )
        _agrupar(sopa, filas, tamano, _corte(cuerpo_tabla, {id(tabla): repetido}), sustituciones)
    if not sustituciones:
        return entero
    texto = str(sopa)
    for marca, sustitucion in sustituciones.items():
        texto = texto.replace(marca, sustitucion, 1)
    return [markupsafe.Markup(t) for t in texto.split(_CORTE)]  # noqa: S704  (ya saneado)


#: Dónde se separan dos trozos en el texto de :func:`trozos_de_seccion` (el HTML saneado no lleva NUL).
_CORTE = "\0corte\0"


def _agrupar(sopa, elementos: list, tamano: int, corte: str, sustituciones: dict[str, str]) -> None:
    """Saca ``elementos`` (hermanos seguidos) de ``sopa`` y deja una marca que :func:`trozos_de_seccion` cambia por ellos, de ``tamano`` en ``tamano``, separados por ``corte``."""
    marca = f"\0trozo{len(sustituciones)}\0"
    elementos[0].insert_before(sopa.new_string(marca))
    textos = [str(e.extract()) for e in elementos]
    sustituciones[marca] = corte.join("".join(textos[i:i + tamano]) for i in range(0, len(textos), tamano))


def _cuerpo_divisible(tabla):
    """El ``tbody`` de una tabla que se puede partir entre filas, o None.

    Solo las tablas regulares: un único ``tbody`` con las filas, sin pie
    (``tfoot``), sin celdas que ocupen varias filas (``rowspan``) y sin tablas
    dentro; tampoco las de dentro de una ficha o de otra tabla, que van enteras con ellas.
    """
    if tabla.find_parent(["table"]) is not None or tabla.find_parent("div", class_="ficha") is not None:
        return None
    cuerpos = tabla.find_all("tbody", recursive=False)
    if len(cuerpos) != 1 or tabla.find("tfoot", recursive=False) is not None:
        return None
    if tabla.find("table") is not None or tabla.find(attrs={"rowspan": True}) is not None:
        return None
    return cuerpos[0]


def _corte(elemento, repetidos: dict[int, str] | None = None) -> str:
    """HTML que cierra ``elemento`` y los que lo envuelven, marca el corte y los vuelve a abrir.

    ``repetidos`` da, por ``id`` de un envoltorio, lo que se escribe de nuevo justo
    tras abrirlo (la cabecera de una tabla).
    """
    from bs4 import BeautifulSoup

    repetidos = repetidos or {}
    aperturas, cierres = [], []
    for actual in [elemento, *elemento.parents]:
        if actual.name in (None, "[document]"):
            continue
        vacio = BeautifulSoup("", "html.parser").new_tag(actual.name, attrs=dict(actual.attrs))
        apertura, cierre = str(vacio).rsplit("</", 1)
        aperturas.insert(0, apertura + repetidos.get(id(actual), ""))
        cierres.append("</" + cierre)
    return "".join(cierres) + _CORTE + "".join(aperturas)


def maquetar_seccion(ancla: str, titulo: str, cuerpo: str, clase: str = "") -> list[Parte]:
    """Las partes de una sección: la sección entera o, con muchas fichas o tablas muy largas, un trozo por parte (:func:`trozos_de_seccion`)."""
    partes = []
    for i, trozo in enumerate(trozos_de_seccion(cuerpo)):
        html = _html_parte(
            titulo_documento=titulo, encabezado_css=_cadena_css(titulo), clase=clase,
            ancla=ancla if i == 0 else "", titulo=titulo if i == 0 else "", cuerpo=trozo,
        )
        partes.append(maquetar(html))
        # La maqueta de la parte ya se soltó; sin esto, glibc guarda sus páginas y
        # el proceso principal crece con cada sección (unos 50 MB menos a 500 compromisos).
        devolver_memoria()
    return partes


def maquetar_apendice(apendice_html: str) -> list[Parte]:
    """El apéndice (HTML de confianza) como parte propia."""
    return maquetar_seccion(ANCLA_APENDICE, TITULO_APENDICE, markupsafe.Markup(apendice_html), clase=" apendice")  # noqa: S704


def _frente(portada: dict, entradas: list[tuple[str, str, int]], adjuntos) -> Parte:
    """Portada e índice con los números de página ya calculados; lleva los adjuntos del informe."""
    titulo, subtitulo, datos = _datos_portada(portada)
    html = _html_parte(
        titulo_documento=titulo, titulo=titulo, subtitulo=subtitulo, datos=datos,
        entradas=[{"ancla": a, "titulo": t, "pagina": n} for a, t, n in entradas],
    )
    return maquetar(html, adjuntos)


def _pies(paginas: list[tuple[float, float]], desde: int, total: int):
    """El pie «Página N de M» de cada página (desde la número ``desde``), listo para superponer.

    Maquetar una hoja por pie costaba ~9 ms por página, al final del informe,
    cuando ya no queda nada más que hacer en paralelo. Se maqueta una sola
    vez un documento con una hoja modelo por orientación (el pie de verdad, en
    su caja de margen) y todos los textos en líneas seguidas, con la misma
    letra: el pie de cada página es el contenido de su hoja modelo con los
    glifos de su línea, centrado como el del modelo (el texto del modelo es el
    de la primera línea, así que la diferencia entre las dos posiciones
    horizontales es la de los dos centros). Devuelve el documento (fuente y
    recursos del pie), sus hojas modelo y, por página, (número de su hoja
    modelo, contenido).
    """
    import io

    import pikepdf

    textos = [(f"Página {desde + i} de {total}", ancho > alto) for i, (ancho, alto) in enumerate(paginas)]
    if not textos:
        return None, [], []
    orientaciones = sorted({apaisada for _, apaisada in textos})
    datos = maquetar(_html_parte(
        pie_css="string(pie)", pies=[(textos[0][0], a) for a in orientaciones], lineas=[t for t, _ in textos],
    )).datos
    documento = pikepdf.open(io.BytesIO(datos))
    modelos = []
    for pagina in documento.pages[:len(orientaciones)]:
        operaciones = list(pikepdf.parse_content_stream(pagina))
        textos_modelo = _textos_de(operaciones)
        if len(textos_modelo) != 1:
            raise AnalisisError(f"pie de página: la hoja modelo tiene {len(textos_modelo)} textos y no uno")
        modelos.append((operaciones, textos_modelo[0]))
    lineas = [t for pagina in documento.pages[len(orientaciones):] for t in _textos_de(pikepdf.parse_content_stream(pagina))]
    if len(lineas) != len(textos):
        raise AnalisisError(f"pie de página: {len(lineas)} líneas maquetadas para {len(textos)} páginas")
    contenidos = []
    for (_, apaisada), linea in zip(textos, lineas):
        numero = orientaciones.index(apaisada)
        operaciones, modelo = modelos[numero]
        if linea["Tf"] != modelo["Tf"]:
            raise AnalisisError("pie de página: las líneas no tienen la letra del pie")
        x = linea["Tm"][4] + modelo["Tm"][4] - lineas[0]["Tm"][4]
        nuevas = list(operaciones)
        nuevas[modelo["i_Tm"]] = pikepdf.ContentStreamInstruction([*modelo["Tm"][:4], x, modelo["Tm"][5]], pikepdf.Operator("Tm"))
        nuevas[modelo["i_TJ"]] = pikepdf.ContentStreamInstruction(linea["TJ"], pikepdf.Operator("TJ"))
        contenidos.append((numero, pikepdf.unparse_content_stream(nuevas)))
    return documento, documento.pages[:len(orientaciones)], contenidos


def _textos_de(operaciones) -> list[dict]:
    """Cada corrida de texto de un contenido de WeasyPrint: sus operandos de Tm, Tf y TJ y dónde están.

    WeasyPrint escribe las líneas seguidas en un solo objeto de texto (BT … ET),
    cada una con su matriz (Tm) y sus glifos (TJ); la fuente (Tf) solo cuando
    cambia. Cualquier otra cosa dentro del texto (otro color, espaciado) es
    un error: no es un pie que se pueda copiar.
    """
    corridas, fuente, matriz = [], None, None
    for i, instruccion in enumerate(operaciones):
        operador = str(instruccion.operator)
        if operador in ("BT", "ET"):
            matriz = None
        elif operador == "Tf":
            fuente = list(instruccion.operands)
        elif operador == "Tm":
            matriz = (i, list(instruccion.operands))
        elif operador == "TJ":
            if matriz is None or fuente is None:
                raise AnalisisError("pie de página: un texto del pie sin posición o sin fuente")
            corridas.append({"Tf": fuente, "Tm": matriz[1], "i_Tm": matriz[0], "TJ": list(instruccion.operands), "i_TJ": i})
            matriz = None
        elif operador.startswith("T") or operador in ("'", '"'):
            raise AnalisisError(f"pie de página: operador {operador} inesperado en el texto del pie")
    return corridas


def unir_partes(
    portada: dict, secciones: list[tuple[str, str, list[Parte]]], adjuntos: tuple[Adjunto, ...] | list[Adjunto] = ()
) -> bytes:
    """Un solo PDF/A-3b: portada e índice, las partes de cada sección (ancla, título, partes) y los pies.

    Los bytes dependen solo de las partes: mismo ``/ID`` (huella del contenido)
    y mismo orden de objetos en cada ejecución.
    """
    import io

    import pikepdf

    # El índice cabe casi siempre en una página; si no, se vuelve a maquetar con
    # la cuenta buena (los números dependen de cuántas páginas ocupa el frente).
    paginas_frente = 2
    while True:
        inicio, entradas = 1 + paginas_frente, []
        for ancla, titulo_seccion, partes in secciones:
            entradas.append((ancla, titulo_seccion, inicio))
            inicio += sum(len(p.paginas) for p in partes)
        frente = _frente(portada, entradas, adjuntos)
        if len(frente.paginas) == paginas_frente:
            break
        paginas_frente = len(frente.paginas)
    todas = [frente] + [p for _, _, partes in secciones for p in partes]
    total = sum(len(p.paginas) for p in todas)

    abiertos = []  # las fuentes de las páginas copiadas siguen abiertas hasta guardar
    base = pikepdf.open(io.BytesIO(frente.datos))
    destinos: dict[str, tuple[int, pikepdf.Array]] = {}
    desplazamiento = 0
    externas = {a for a, _, _ in entradas}
    for numero, parte in enumerate(todas):
        pdf = base if numero == 0 else pikepdf.open(io.BytesIO(parte.datos))
        if numero:
            abiertos.append(pdf)
            base.pages.extend(pdf.pages)
        indice = {pagina.objgen: i for i, pagina in enumerate(pdf.pages)}
        nombres = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        for i in range(0, len(nombres), 2):
            nombre, destino = str(nombres[i]), nombres[i + 1]
            if (numero == 0 and nombre in externas) or nombre in destinos:
                continue  # las anclas del índice solo sirven para que WeasyPrint conserve sus enlaces
            destinos[nombre] = (desplazamiento + indice[destino[0].objgen], list(destino[1:]))
        desplazamiento += len(pdf.pages)

    paginas = list(base.pages)
    arbol = pikepdf.Array()
    for nombre in sorted(destinos):
        pagina, resto = destinos[nombre]
        arbol.append(pikepdf.String(nombre))
        arbol.append(pikepdf.Array([paginas[pagina].obj, *resto]))
    if len(arbol):
        base.Root.Names.Dests = pikepdf.Dictionary(Names=arbol)
    elif "/Names" in base.Root and "/Dests" in base.Root.Names:
        del base.Root.Names["/Dests"]

    _marcadores(base, paginas, [pagina for p in todas for pagina in p.paginas])

    # El pie de cada página menos la portada, superpuesto a lo que ya tiene.
    tamaños = [(float(p.mediabox[2] - p.mediabox[0]), float(p.mediabox[3] - p.mediabox[1])) for p in paginas[1:]]
    pies, modelos, contenidos = _pies(tamaños, 2, total)
    if pies is not None:
        abiertos.append(pies)
        # Los recursos (la fuente) de cada hoja modelo, una vez para todos sus pies.
        recursos = [base.copy_foreign(modelo.Resources) for modelo in modelos]
        for pagina, (numero, contenido) in zip(paginas[1:], contenidos):
            forma = base.make_stream(contenido)
            forma.Type, forma.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
            forma.BBox, forma.Resources = pikepdf.Array(modelos[numero].mediabox), recursos[numero]
            _superponer(base, pagina, forma)
    _un_solo_perfil(paginas)

    salida = io.BytesIO()
    base.save(
        salida, deterministic_id=True, fix_metadata_version=False,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    for pdf in [base, *abiertos]:
        pdf.close()
    return salida.getvalue()


def _un_solo_perfil(paginas: list) -> None:
    """Cada parte (y cada hoja de pies) trae su copia del perfil sRGB: todas pasan a usar la primera."""
    import hashlib

    import pikepdf

    perfiles: dict[bytes, pikepdf.Object] = {}
    vistos = set()
    recursos = [pagina.obj.get("/Resources", {}) for pagina in paginas]
    pies = [r.XObject.PiePagina for r in recursos if "/XObject" in r and "/PiePagina" in r.XObject]
    for espacios in [r.get("/ColorSpace") for r in recursos + [f.get("/Resources", {}) for f in pies]]:
        if espacios is None or espacios.objgen in vistos:
            continue
        vistos.add(espacios.objgen)
        for clave, valor in list(espacios.items()):
            if isinstance(valor, pikepdf.Array) and len(valor) == 2 and valor[0] == pikepdf.Name.ICCBased:
                huella = hashlib.sha256(valor[1].read_raw_bytes()).digest()
                espacios[clave] = pikepdf.Array([pikepdf.Name.ICCBased, perfiles.setdefault(huella, valor[1])])


def _superponer(base, pagina, forma) -> None:
    """Dibuja ``forma`` (un XObject del tamaño de la página) sobre ``pagina``, con nombres fijos (mismos bytes cada vez).

    ``Page.add_overlay`` de pikepdf pondría un nombre al azar en los recursos,
    que WeasyPrint comparte entre todas las páginas de una parte: cada página
    recibe aquí sus propios recursos (copia superficial) con el pie como ``/PiePagina``.
    """
    import pikepdf

    recursos = pikepdf.Dictionary(dict(pagina.obj.Resources.items()))
    xobjetos = pikepdf.Dictionary(dict(recursos.get("/XObject", pikepdf.Dictionary()).items()))
    xobjetos.PiePagina = forma
    recursos.XObject = xobjetos
    pagina.obj.Resources = recursos
    contenido = pagina.obj.Contents
    previos = list(contenido) if isinstance(contenido, pikepdf.Array) else [contenido]
    pagina.obj.Contents = pikepdf.Array([
        base.make_stream(b"q\n"), *previos, base.make_stream(b"\nQ\n/PiePagina Do\n"),
    ])


def _marcadores(base, paginas: list, por_pagina: list[tuple[float, tuple]]) -> None:
    """Los marcadores del PDF de todas las partes, en un solo árbol construido como lo haría WeasyPrint."""
    import pikepdf
    from types import SimpleNamespace

    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    raiz, saltados, ultimos, nivel = [], [], [], 0
    ultimos.append(raiz)
    escala = 0.75  # puntos PDF por px CSS, como WeasyPrint con zoom 1
    for numero, (alto, marcadores) in enumerate(por_pagina):
        pagina = SimpleNamespace(bookmarks=marcadores, height=alto)
        nivel = make_page_bookmark_tree(
            pagina, saltados, ultimos, nivel, numero, Matrix(a=escala, d=-escala, f=alto * escala)
        )
    if "/Outlines" in base.Root:
        del base.Root["/Outlines"]
    if not raiz:
        return

    def agregar(ramas, padre):
        # Igual que weasyprint.pdf.anchors.add_outlines, con objetos de pikepdf.
        cuenta, hechos = len(ramas), []
        for titulo, (pagina, x, y), hijos, estado in ramas:
            item = base.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(titulo), Dest=pikepdf.Array([paginas[pagina].obj, pikepdf.Name.XYZ, x, y, 0]),
            ))
            sub, subcuenta = agregar(hijos, item)
            item.Count = -subcuenta if estado == "closed" else subcuenta
            if estado != "closed":
                cuenta += subcuenta
            if hechos:
                item.Prev = hechos[-1]
                hechos[-1].Next = item
            if sub:
                item.First, item.Last = sub[0], sub[-1]
            item.Parent = padre
            hechos.append(item)
        return hechos, cuenta

    esquema = base.make_indirect(pikepdf.Dictionary())
    hechos, cuenta = agregar(raiz, esquema)
    esquema.Count, esquema.First, esquema.Last = cuenta, hechos[0], hechos[-1]
    base.Root.Outlines = esquema
