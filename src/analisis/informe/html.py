"""Exportación de cuadernos a HTML estático, seguro y reproducible.

El HTML es el paso previo del PDF (:mod:`analisis.pdf`) y también un entregable
por sí mismo. Garantías:

* **Solo lo que ve el lector.** El código de las celdas no se muestra, ni los
  indicadores ``In [ ]``/``Out [ ]``, ni la salida de error estándar (avisos de
  bibliotecas). Las celdas con la etiqueta ``ocultar`` se omiten enteras; con
  ``ocultar_salida`` se omiten sus salidas; con ``apaisado`` van en una página
  A4 horizontal en el PDF.
* **Seguro frente a los datos.** Los textos proceden de un sitio web de terceros
  y pueden contener ``<script>``, atributos ``on*``, enlaces ``javascript:`` o
  sintaxis de plantillas (``{{ }}``, ``{% %}``). Todo lo que sale de una celda
  pasa por :func:`limpiar_html`: lista blanca de etiquetas y atributos, sin
  ``<script>``, ``<style>``, ``<img>`` ni ``on*``, y enlaces solo
  ``http``/``https``/``mailto``. Las etiquetas no permitidas se *escapan* (el
  lector ve el texto literal ``<script>``) en vez de borrarse, para no ocultar
  lo que realmente publica el tablero. Los datos se pasan a Jinja como valores,
  nunca como plantilla, así que ``{{ 7*7 }}`` se ve tal cual.
  No se usa el ``sanitize_html=True`` de nbconvert porque su lista blanca no
  incluye ``th``/``thead``/``tbody`` y convierte las tablas de pandas en texto
  escapado ilegible.
* **Gráficos.** Los SVG se incrustan como ``<img src="data:image/svg+xml;base64,…">``:
  se ven igual que en línea, se escalan al ancho de la página, y un navegador
  nunca ejecuta scripts ni carga recursos de un SVG usado como imagen, así que
  no hace falta sanearlos (ni arriesgarse a que el saneado rompa el gráfico).
  Los PNG/JPEG también van como URI ``data:``.
* **Tablas anchas legibles.** :func:`ajustar_tablas` fija el ancho de cada
  columna según su contenido (las fechas no se parten, las descripciones
  largas reciben más ancho) y manda a una página A4 horizontal las tablas que
  no caben en vertical. La hoja de estilo parte el texto dentro de la celda
  (sin guiones de silabeo, que alterarían huellas y direcciones; solo los
  encabezados se silabean), repite la cabecera en cada página, no parte las
  tablas cortas entre páginas y nunca deja que una tabla se salga del margen.
* **Sin conexión.** Ni CSS, ni JavaScript, ni fuentes, ni MathJax externos: la
  hoja de estilo va dentro del documento (``plantillas/informe.css``).
* **Determinista.** Mismo cuaderno → mismos bytes: sin identificadores
  aleatorios ni fechas.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

import markupsafe
from jinja2 import pass_context

from ..escritura import escribir_archivo
from .plantilla import renderizar
from .plantilla import PLANTILLAS
from .texto import neutralizar_bidi

# nbformat (con jsonschema), bleach, BeautifulSoup y nbconvert se importan en
# las funciones que los usan (ver clase_exportador_html): el proceso principal importa este módulo para
# escribir la página del apéndice y no usa ninguno (~0,8 s de CPU menos, en
# el arranque, cuando los núcleos y los procesos de trabajo también cargan).
if TYPE_CHECKING:
    import nbformat

HOJA_DE_ESTILO = PLANTILLAS / "informe.css"

#: Etiquetas que pueden llegar de una salida (tablas de pandas, Markdown).
ETIQUETAS_PERMITIDAS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "u", "ul", "var",
    }
)  # fmt: skip

#: Sin ``style``: la presentación la da la hoja de estilo, y así ningún dato
#: puede tapar o disfrazar contenido con CSS. ``class`` e ``id`` se admiten
#: (pandas, resaltado de código, anclas de títulos) salvo los nombres que usa
#: la maqueta del informe; ver :func:`_atributo_comun`.
ATRIBUTOS_PERMITIDOS: dict[str, list[str]] = {
    "a": ["href"],
    "col": ["span"],
    "colgroup": ["span"],
    "ol": ["start", "type"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}

#: Clases e ``id`` de la maqueta (portada, índice, secciones, páginas
#: apaisadas...). Si un dato pudiera usarlas, movería saltos de página,
#: cambiaría la cabecera de las páginas o desviaría los números del índice.
PREFIJOS_RESERVADOS = (
    "portada", "indice", "seccion", "titulo-", "apendice", "apaisado", "celda",
    "salida", "cuaderno", "documento", "tabla-",
)  # fmt: skip

PROTOCOLOS_PERMITIDOS = frozenset({"http", "https", "mailto"})

_TITULOS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_RE_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_RE_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_RE_TITULO_MD = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_RE_BLANCOS = re.compile(r"[ \t\r\n\f\v]+")
# Las secuencias de escape ANSI (colores de terminal), como ``strip_ansi`` de
# nbconvert: aquí para que el proceso principal, que escribe la página del
# apéndice, no importe nbconvert (~0,5 s de CPU) solo por esta expresión.
_RE_ANSI = re.compile("\x1b\\[(.*?)([@-~])")


def strip_ansi(texto: str) -> str:
    return _RE_ANSI.sub("", texto)

_RE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: Fechas y horas de las tablas («2025-06-30», «2025-02-28 20:53», «06/02/2025»).
_RE_FECHA = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{4}")
_ESPACIOS_Y_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _sin_espacios(valor: str) -> str:
    # Los navegadores ignoran tabuladores y saltos dentro de una URL
    # («java\tscript:» es «javascript:»): se comparan sin ellos.
    return _ESPACIOS_Y_CONTROL.sub("", valor).lower()


def _reservado(valor: str) -> bool:
    return any(parte.lower().startswith(PREFIJOS_RESERVADOS) for parte in valor.split())


def _atributo_comun(etiqueta: str, nombre: str, valor: str) -> bool:
    """Atributos admitidos en cualquier etiqueta permitida."""
    if nombre in ("title", "lang", "dir"):
        return True
    if nombre == "class" or (nombre == "id" and etiqueta in _TITULOS):
        return not _reservado(valor)
    return False


def _atributo_imagen(etiqueta: str, nombre: str, valor: str) -> bool:
    """Atributos de ``<img>`` en celdas Markdown: solo imágenes incrustadas."""
    if nombre in ("alt", "width", "height"):
        return True
    if nombre == "src":
        return _sin_espacios(valor).startswith("data:image/")
    return _atributo_comun(etiqueta, nombre, valor)


def _atributo_enlace(etiqueta: str, nombre: str, valor: str) -> bool:
    """``href`` sin ``data:`` (que sí se admite en ``src`` de imágenes)."""
    if nombre == "href":
        return not _sin_espacios(valor).startswith("data:")
    return _atributo_comun(etiqueta, nombre, valor)


def limpiar_html(fragmento: str, *, imagenes: bool = False) -> str:
    """Sanea un fragmento HTML que puede venir de los datos.

    Las etiquetas fuera de :data:`ETIQUETAS_PERMITIDAS` se escapan (se leen
    literalmente), los atributos no permitidos se eliminan y los enlaces con
    protocolos distintos de http/https/mailto pierden el ``href``. Los bloques
    ``<style>`` se eliminan con su contenido: pandas añade uno a cada tabla y
    el aspecto lo decide la hoja de estilo del informe.

    ``imagenes=True`` (solo para Markdown escrito por los autores) admite
    ``<img>`` cuyo ``src`` sea una imagen incrustada ``data:image/...``; nunca
    una URL, para que el informe no haga peticiones al abrirse.
    """
    if not fragmento:
        return ""
    fragmento = _RE_STYLE.sub("", str(fragmento))
    etiquetas = set(ETIQUETAS_PERMITIDAS)
    atributos: dict = {**ATRIBUTOS_PERMITIDOS, "*": _atributo_comun}
    protocolos = set(PROTOCOLOS_PERMITIDOS)
    if imagenes:
        etiquetas.add("img")
        atributos["img"] = _atributo_imagen
        atributos["a"] = _atributo_enlace
        protocolos.add("data")
    import bleach

    return bleach.clean(
        fragmento,
        tags=etiquetas,
        attributes=atributos,
        protocols=protocolos,
        strip=False,
        strip_comments=True,
    )


#: Caracteres que caben en una línea de tabla en A4 vertical (174 mm de ancho
#: útil, DejaVu Sans Condensed de 7,5 pt: unos 4 pt por carácter).
CARACTERES_POR_LINEA_TABLA = 120
#: Lo mismo en A4 horizontal (261 mm de ancho útil).
CARACTERES_POR_LINEA_APAISADA = 180
#: Palabras más largas que esto se pueden partir dentro de la celda; más cortas
#: no (las fechas, los porcentajes y la mayoría de las palabras caben enteras).
_PALABRA_MAXIMA = 12
#: Una celda con una palabra más larga que esto (una URL dentro del texto, un
#: código pegado) se marca ``celda-palabra-larga``: en pantalla se parte como en el PDF.
_PALABRA_LARGA = 30
#: Lo mismo en la cabecera, donde partir con guion una palabra larga no estorba.
_PALABRA_CABECERA = 6
#: Tope de la longitud de un texto al repartir el ancho: a partir de aquí, más
#: ancho ya no acorta la fila de forma apreciable.
_LARGO_MAXIMO = 300
_RELLENO = 1.5  # relleno y borde de la celda, en caracteres
# Palabra suelta más larga que se protege como una sigla («CONAMIGUA», «MINEDUC») o una cifra.
_SIGLA_MAXIMA = 10
# Lo que una mayúscula de DejaVu Sans ocupa de más frente al carácter medio (≈ 1,35 veces).
_EXTRA_MAYUSCULA = 0.35
#: Parte del ancho de una página vertical que puede ocupar, como mucho, una
#: tabla cuyas celdas van sin cortes en el PDF (ver :func:`_cabe_holgada`).
_HOLGURA_SIN_CORTES = 0.8
#: Ancho mínimo (caracteres) de una columna de texto largo cuando falta sitio.
_PALABRA_MINIMA = 6
#: Parte del ancho que, como mucho, se dedica a los mínimos de cada columna.
_FRACCION_MINIMOS = 0.75


def _ancho(texto: str) -> float:
    """Ancho de ``texto`` en caracteres medios: una mayúscula ocupa más que una minúscula.

    Sin esto, siglas como «CONAMIGUA» o cabeceras como «OSC» reciben el ancho
    de nueve o tres minúsculas y se parten a mitad de palabra.
    """
    return len(texto) + _EXTRA_MAYUSCULA * sum(1 for c in texto if c.isupper())


def _medidas_columna(celdas) -> tuple[float, float, float]:
    """Medidas de una columna en caracteres: (mínimo, máximo, máximo del cuerpo).

    El mínimo es su palabra más larga (acotada) y el máximo su texto más largo
    en una línea. En la cabecera las palabras largas se silabean sin problema
    («Com-pletados»), así que cuentan poco para el mínimo; y el máximo del
    cuerpo la excluye: «Fecha de inicio» se parte bien, «01/06/2023» no.
    """
    palabra = largo = cuerpo = 1.0
    for celda in celdas:
        cabecera = celda.find_parent("thead") is not None
        factor = 1.1 if celda.name == "th" else 1.0  # las cabeceras van en negrita
        tope = _PALABRA_CABECERA if cabecera else _PALABRA_MAXIMA
        texto = celda.get_text(" ", strip=True)
        medida = min(_ancho(texto), _LARGO_MAXIMO) * factor
        largo = max(largo, medida)
        if not cabecera:
            cuerpo = max(cuerpo, medida)
        # El espacio de no separación («50.0 %») no es un punto de corte.
        for trozo in _RE_BLANCOS.split(texto):
            palabra = max(palabra, min(_ancho(trozo), tope) * factor)
    return palabra + _RELLENO, max(largo, palabra) + _RELLENO, cuerpo + _RELLENO


def _textos_del_cuerpo(celdas) -> list[str]:
    """El texto de las celdas del cuerpo de una columna, sin las vacías ni las «—»."""
    textos = [c.get_text(" ", strip=True) for c in celdas if c.find_parent("thead") is None]
    return [t for t in textos if t and t != "—"]


def _columna_de_fechas(celdas) -> bool:
    """Verdadero si todas las celdas del cuerpo con texto son fechas."""
    textos = _textos_del_cuerpo(celdas)
    return bool(textos) and all(_RE_FECHA.fullmatch(t) for t in textos)


def _columna_de_una_palabra(celdas) -> bool:
    """Verdadero si cada celda del cuerpo con texto es una sola palabra corta (una sigla, una cifra).

    Corta: hasta :data:`_SIGLA_MAXIMA` caracteres. Con palabras más largas en
    muchas columnas, protegerlas todas dejaría sin sitio a las fechas.
    """
    textos = _textos_del_cuerpo(celdas)
    return bool(textos) and all(len(t) <= _SIGLA_MAXIMA and not _RE_BLANCOS.search(t) for t in textos)


def _filas(tabla) -> list | None:
    """Celdas de cada fila de una tabla regular (al menos dos columnas, todas las filas iguales), o None."""
    filas = [fila.find_all(["td", "th"], recursive=False) for fila in tabla.find_all("tr")]
    filas = [fila for fila in filas if fila]
    if not filas:
        return None
    columnas = len(filas[0])
    if columnas < 2 or any(len(fila) != columnas for fila in filas):
        return None
    return filas


def _cabe_holgada(tabla) -> bool:
    """¿Cabe cada celda del cuerpo en una línea, con holgura, en una página vertical?

    Entonces las celdas del cuerpo pueden ir sin cortes en el PDF
    (``tabla-sin-cortes``; la cabecera sí se parte): cada columna mide su texto
    más largo del cuerpo o, si es mayor, la palabra más larga de la cabecera. La
    holgura cubre lo que la cuenta de caracteres no ve (mayúsculas anchas).
    """
    filas = _filas(tabla)
    if filas is None:
        return False
    medidas = [_medidas_columna([fila[j] for fila in filas]) for j in range(len(filas[0]))]
    return sum(max(minimo, cuerpo) for minimo, _, cuerpo in medidas) <= _HOLGURA_SIN_CORTES * CARACTERES_POR_LINEA_TABLA


def _anchos_naturales(tabla) -> list[float] | None:
    """Porcentajes de ancho proporcionales al texto más largo de cada columna, o None.

    Para las tablas que caben con una línea por celda pero sin holgura: con
    anchos fijos WeasyPrint no mide el ancho mínimo de cada celda (cada corte y
    cada guion), que en tablas largas tarda segundos. None si la tabla es
    irregular o sus palabras no caben en una página vertical.
    """
    filas = _filas(tabla)
    if filas is None:
        return None
    medidas = [_medidas_columna([fila[j] for fila in filas]) for j in range(len(filas[0]))]
    if sum(m[0] for m in medidas) > CARACTERES_POR_LINEA_TABLA:
        return None
    total = sum(m[1] for m in medidas)
    return [100 * m[1] / total for m in medidas]


def _anchos_columnas(tabla) -> tuple[list[float], bool] | None:
    """Porcentajes de ancho por columna y si la tabla va en página apaisada.

    None si la tabla cabe sin ayuda o es irregular. Es el reparto del algoritmo
    automático de CSS (cada columna entre su contenido mínimo y su contenido en
    una línea), pero tomando como mínimo la palabra más larga *acotada*: así
    las columnas cortas (fechas, estado, avance) no se parten letra a letra
    para dejar sitio a las de texto largo, y una URL larga no puede empujar la
    tabla fuera de la página. Además evita a WeasyPrint calcular el ancho
    mínimo de cada celda, que en tablas grandes tarda segundos.

    Si ni siquiera las palabras caben en el ancho de una página vertical, la
    tabla va en una página A4 horizontal: más legible que columnas de cinco
    letras.
    """
    filas = _filas(tabla)
    if filas is None:
        return None
    columnas = len(filas[0])
    medidas = [_medidas_columna([fila[j] for fila in filas]) for j in range(columnas)]
    minimos = [m[0] for m in medidas]
    maximos = [m[1] for m in medidas]
    cuerpos = [m[2] for m in medidas]
    apaisada = sum(minimos) > CARACTERES_POR_LINEA_TABLA
    disponible = CARACTERES_POR_LINEA_APAISADA if apaisada else CARACTERES_POR_LINEA_TABLA
    if sum(maximos) <= disponible:
        return None
    # Demasiadas columnas para respetar todas las palabras: ceden las columnas de
    # texto largo (que se parten en varias líneas de todos modos, con guiones),
    # no las de valores cortos, y queda una parte del ancho para repartir según
    # la longitud del texto, de modo que una descripción sea más ancha que «Sí».
    tope = _FRACCION_MINIMOS * disponible
    if sum(minimos) > tope:
        # Largas: las de texto de varias palabras (p. ej. nombres de instituciones), no las de
        # una o dos palabras cortas («sin evidencia», «sustancial»), que no deben partirse.
        largas = [j for j in range(columnas) if cuerpos[j] > 2 * minimos[j]]
        fijas = sum(minimos[j] for j in range(columnas) if j not in largas)
        flexibles = sum(minimos[j] for j in largas)
        if largas and fijas < tope:
            escala = (tope - fijas) / flexibles
            for j in largas:
                minimos[j] = max(minimos[j] * escala, _PALABRA_MINIMA + _RELLENO)
        if sum(minimos) > tope:
            # Ni así: también ceden las columnas cortas (alguna fecha se partirá),
            # pero no por debajo del suelo: un «Sí» o un «Z9» no se parten.
            escala = tope / sum(minimos)
            suelo = _PALABRA_MINIMA + _RELLENO
            # Las fechas tampoco: «2025-06-30» partida en «2025-06-» y «30» no se lee; ni
            # las columnas de una sola palabra corta por celda (siglas, cifras): «CONAMIGU-A».
            fechas = [
                _columna_de_fechas([fila[j] for fila in filas]) or _columna_de_una_palabra([fila[j] for fila in filas])
                for j in range(columnas)
            ]
            minimos = [m if f else max(m * escala, min(m, suelo)) for m, f in zip(minimos, fechas)]
    if sum(minimos) >= disponible:
        anchos = minimos  # los porcentajes se normalizan: la tabla nunca se sale
    else:
        fraccion = (disponible - sum(minimos)) / (sum(maximos) - sum(minimos))
        anchos = [mi + fraccion * (ma - mi) for mi, ma in zip(minimos, maximos)]
    total = sum(anchos)
    return [100 * a / total for a in anchos], apaisada


#: Tablas de hasta tantas filas (con la cabecera) no se parten entre páginas en el PDF: caben en
#: media página, y partirlas deja una o dos filas huérfanas en una página casi vacía.
FILAS_TABLA_ENTERA = 20


def ajustar_tablas(html: str) -> str:
    """Fija el ancho de las columnas de las tablas anchas (``<colgroup>`` + ``table-layout: fixed``).

    Las de hasta :data:`FILAS_TABLA_ENTERA` filas se marcan ``tabla-entera`` (en
    el PDF no se parten entre páginas). Las tablas que caben en una línea por celda se marcan ``tabla-estrecha``
    (ancho natural) si su cuerpo cabe con holgura, y ``tabla-sin-cortes`` (en
    el PDF las celdas del cuerpo no se parten); si cabe justa, recibe anchos
    proporcionales a su texto más largo; las que no caben ni partiendo solo entre palabras,
    ``tabla-apaisada`` (página A4 horizontal en el PDF). Las que tienen celdas combinadas o tablas anidadas se dejan
    al algoritmo automático; la hoja de estilo garantiza en todo caso que el
    texto se parte y la tabla no se sale de la página.
    """
    if "<table" not in html:
        return html
    from bs4 import BeautifulSoup

    sopa = BeautifulSoup(html, "html.parser")
    for celda in sopa.find_all("td"):
        texto = celda.get_text()
        if _RE_URL.fullmatch(texto.strip()):
            # Una URL partida con guion de silabeo parece otra URL: sin guiones.
            celda["class"] = list(celda.get("class", [])) + ["celda-url"]
        elif _RE_FECHA.fullmatch(celda.get_text().strip()):
            # Una fecha solo se parte entre el día y la hora, nunca dentro de un número.
            celda["class"] = list(celda.get("class", [])) + ["celda-fecha"]
            dia, _, hora = celda.get_text().strip().partition(" ")
            celda.clear()
            envoltura = sopa.new_tag("span", attrs={"class": "fecha-dia"})
            envoltura.string = dia
            celda.append(envoltura)
            if hora:
                celda.append(" " + hora)
        elif any(len(palabra) > _PALABRA_LARGA for palabra in _RE_BLANCOS.split(texto)):
            celda["class"] = list(celda.get("class", [])) + ["celda-palabra-larga"]
    for tabla in sopa.find_all("table"):
        if len(tabla.find_all("tr")) <= FILAS_TABLA_ENTERA:
            tabla["class"] = list(tabla.get("class", [])) + ["tabla-entera"]
        if tabla.find(["colgroup", "table"]) or tabla.find(attrs={"colspan": True}) or tabla.find(
            attrs={"rowspan": True}
        ):
            continue
        reparto = _anchos_columnas(tabla)
        clases = list(tabla.get("class", []))
        if reparto is None:
            # Sin cortes, WeasyPrint no prueba cada corte y cada guion para el
            # ancho mínimo de la tabla (segundos en tablas largas).
            if _cabe_holgada(tabla):
                tabla["class"] = clases + ["tabla-estrecha", "tabla-sin-cortes"]
                continue
            naturales = _anchos_naturales(tabla)
            if naturales is None:
                tabla["class"] = clases + ["tabla-estrecha"]
                continue
            reparto = naturales, False
        porcentajes, apaisada = reparto
        grupo = sopa.new_tag("colgroup")
        for porcentaje in porcentajes:
            grupo.append(sopa.new_tag("col", attrs={"style": f"width: {porcentaje:.1f}%"}))
        leyenda = tabla.find("caption", recursive=False)
        if leyenda is not None:
            leyenda.insert_after(grupo)
        else:
            tabla.insert(0, grupo)
        tabla["class"] = clases + ["tabla-ajustada"] + (["tabla-apaisada"] if apaisada else [])
    return str(sopa)


def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, list):  # nbformat antiguo: texto en lista de líneas
        return "".join(valor)
    return str(valor)


def _markdown_a_html(fuente: str, *, adjuntos=None, ruta: str = "", incrustar: bool = False) -> str:
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderizador = IPythonRenderer(
        escape=False,  # el HTML crudo se sanea después con limpiar_html
        attachments=adjuntos or {},
        embed_images=incrustar,
        path=ruta,
        exclude_anchor_links=True,  # el «¶» no tiene sentido en papel
    )
    return MarkdownWithMath(renderer=renderizador).render(fuente)


# ---------- Filtros de la plantilla (cada uno devuelve Markup ya seguro) ----------


def texto_plano(valor) -> markupsafe.Markup:
    """Texto de una salida (``text/plain``, stdout, error): sin ANSI y escapado."""
    return markupsafe.escape(strip_ansi(_texto(valor)))


def html_seguro(valor) -> markupsafe.Markup:
    """HTML de una salida (tablas de pandas...): saneado y con las tablas ajustadas."""
    return markupsafe.Markup(ajustar_tablas(limpiar_html(_texto(valor))))  # noqa: S704


def markdown_seguro(valor) -> markupsafe.Markup:
    """Markdown de una salida (``display(Markdown(...))``), que puede llevar datos."""
    html = limpiar_html(_markdown_a_html(_texto(valor)))
    return markupsafe.Markup(ajustar_tablas(html))  # noqa: S704


@pass_context
def markdown_celda(contexto, fuente) -> markupsafe.Markup:
    """Markdown de una celda: admite imágenes adjuntas o locales, incrustadas."""
    celda = contexto.get("cell", {})
    ruta = contexto.get("resources", {}).get("metadata", {}).get("path", "") or ""
    html = _markdown_a_html(
        _texto(fuente), adjuntos=celda.get("attachments", {}), ruta=ruta, incrustar=True
    )
    return markupsafe.Markup(ajustar_tablas(limpiar_html(html, imagenes=True)))  # noqa: S704


def _etiqueta_img(mime: str, datos_base64: str) -> markupsafe.Markup:
    return markupsafe.Markup('<img alt="Figura" src="data:{}{}">').format(
        mime, markupsafe.Markup(";base64,") + datos_base64
    )


def imagen_svg(valor) -> markupsafe.Markup:
    """SVG como ``<img>`` con URI ``data:`` (un SVG en ``<img>`` no ejecuta nada)."""
    datos = base64.b64encode(_texto(valor).encode("utf-8")).decode("ascii")
    return _etiqueta_img("image/svg+xml", datos)


def imagen_base64(valor, mime: str) -> markupsafe.Markup:
    """PNG/JPEG (ya en base64 en el cuaderno) como ``<img>``; si no es base64 válido, nada."""
    datos = re.sub(r"\s+", "", _texto(valor))
    if not datos or not _RE_BASE64.match(datos):
        return markupsafe.Markup("")
    try:
        base64.b64decode(datos, validate=True)
    except (binascii.Error, ValueError):
        return markupsafe.Markup("")
    return _etiqueta_img(mime, datos)


_RE_REPR_OBJETO = re.compile(
    r"<[\w.]+(?: object)? at 0x[0-9a-fA-F]+>"  # [<matplotlib.lines.Line2D at 0x7f...>]
    r"|^<[\w.]+ object>$"  # <IPython.core.display.Javascript object>
    r"|^<Figure size [\d.x]+ with \d+ Axes>$"  # figura sin imagen (ya cerrada)
    r"|^Text\(-?[\d.e+-]+, -?[\d.e+-]+, '.*'\)$",  # lo que devuelve ax.set_title()
    re.DOTALL,
)


def es_repr_de_objeto(valor) -> bool:
    """¿Es ``text/plain`` solo la representación de un objeto de Python?

    Ocurre cuando una celda termina en ``ax.plot(...)`` o ``display(Javascript(...))``
    sin ``;``. No es contenido del informe y, con su dirección de memoria
    (``at 0x7f…``), cambiaría en cada ejecución: se omite.
    """
    return bool(_RE_REPR_OBJETO.search(_texto(valor).strip()))


def clases_celda(celda) -> str:
    """Clases CSS derivadas de etiquetas conocidas de la celda (lista cerrada)."""
    etiquetas = celda.get("metadata", {}).get("tags", []) or []
    return " apaisado" if "apaisado" in etiquetas else ""


def hoja_de_estilo() -> str:
    """CSS del informe, común al HTML y al PDF."""
    return HOJA_DE_ESTILO.read_text(encoding="utf-8")


def pagina_html(cuerpo: markupsafe.Markup, titulo: str, navegacion: list[dict] | None = None) -> str:
    """Documento HTML independiente con el cuerpo ya saneado de un cuaderno (:func:`fragmento_html`)."""
    # El entorno común vuelve inerte (texto.py) y escapa todo texto variable.
    return renderizar(
        "pagina.html.j2",
        cuerpo=cuerpo,
        titulo=strip_ansi(titulo),
        navegacion=[{clave: strip_ansi(_texto(e.get(clave))) for clave in ("href", "rel", "texto")} for e in navegacion or []],
        hoja_de_estilo=markupsafe.Markup(hoja_de_estilo()),  # noqa: S704  (la del paquete, no de los datos)
    )


def titulo_de(nb: nbformat.NotebookNode, respaldo: str = "Informe") -> str:
    """Título de un cuaderno: ``metadata.title``, o su primer ``# Título``, o ``respaldo``."""
    titulo = nb.get("metadata", {}).get("title")
    if titulo:
        return str(titulo)
    for celda in nb.get("cells", []):
        if celda.get("cell_type") == "markdown":
            coincidencia = _RE_TITULO_MD.search(_texto(celda.get("source")))
            if coincidencia:
                return coincidencia.group(1)
    return respaldo


def cargar_cuaderno(nb: nbformat.NotebookNode | str | Path) -> tuple[nbformat.NotebookNode, Path | None]:
    """Acepta un cuaderno ya leído o su ruta; devuelve el cuaderno (v4) y su ruta."""
    if isinstance(nb, (str, Path)):
        ruta = Path(nb)
        import nbformat

        return nbformat.read(ruta, as_version=4), ruta
    return nb, None


def _recursos(ruta: Path | None, titulo: str | None, nb) -> dict:
    recursos: dict = {"metadata": {}}
    if ruta is not None:
        # Para incrustar imágenes locales referidas desde el Markdown.
        recursos["metadata"] = {"path": str(ruta.resolve().parent), "name": ruta.stem}
    recursos["titulo_informe"] = titulo or titulo_de(nb, ruta.stem if ruta else "Informe")
    return recursos


@functools.cache
def clase_exportador_html() -> type:
    """``ExportadorHTML``, el exportador HTML de nbconvert del informe (la clase, creada una vez).

    Se crea al usarla y no al importar este módulo porque su base,
    ``HTMLExporter``, importa nbconvert (~0,5 s de CPU), y el proceso principal
    importa este módulo solo para la página del apéndice.
    """
    from nbconvert.exporters import HTMLExporter
    from traitlets import default
    from traitlets.config import Config

    class ExportadorHTML(HTMLExporter):
        """``HTMLExporter`` con la plantilla propia ``plantillas/informe``.

        Produce solo el cuerpo saneado (``<div class="cuaderno">``, plantilla
        ``cuerpo.html.j2``): la página independiente (:func:`pagina_html`) y cada
        sección del PDF compuesto se hacen con ese mismo cuerpo, que así se
        calcula una sola vez por cuaderno.
        """

        export_from_notebook = None  # uso interno; el exportador público es el PDF

        @default("template_name")
        def _template_name_default(self):
            return "informe"

        @default("template_file")
        def _template_file_default(self):
            return "cuerpo.html.j2"

        @default("extra_template_basedirs")
        def _extra_template_basedirs_default(self):
            return [str(PLANTILLAS)]

        @default("exclude_input")
        def _exclude_input_default(self):
            return True

        @default("exclude_input_prompt")
        def _exclude_input_prompt_default(self):
            return True

        @default("exclude_output_prompt")
        def _exclude_output_prompt_default(self):
            return True

        @default("sanitize_html")
        def _sanitize_html_default(self):
            # Informativo: la plantilla «informe» sanea siempre, con o sin esta opción.
            return True

        @default("language_code")
        def _language_code_default(self):
            return "es"

        @property
        def default_config(self):
            c = super().default_config
            propia = Config(
                {
                    "NbConvertBase": {
                        # Sin JavaScript, widgets ni LaTeX (necesitarían MathJax/CDN).
                        "display_data_priority": [
                            "text/html",
                            "text/markdown",
                            "image/svg+xml",
                            "image/png",
                            "image/jpeg",
                            "text/plain",
                        ]
                    },
                    "TagRemovePreprocessor": {
                        "enabled": True,
                        "remove_cell_tags": {"ocultar"},
                        "remove_all_outputs_tags": {"ocultar_salida"},
                    },
                }
            )
            c.merge(propia)
            return c

        def default_filters(self):
            yield from super().default_filters()
            yield ("texto_plano", texto_plano)
            yield ("html_seguro", html_seguro)
            yield ("markdown_seguro", markdown_seguro)
            yield ("markdown_celda", markdown_celda)
            yield ("imagen_svg", imagen_svg)
            yield ("imagen_base64", imagen_base64)
            yield ("clases_celda", clases_celda)
            yield ("es_repr_de_objeto", es_repr_de_objeto)

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = dict(resources or {})
            nombre = (resources.get("metadata") or {}).get("name") or "Informe"
            resources.setdefault("titulo_informe", titulo_de(nb, nombre))
            html, resources = super().from_notebook_node(nb, resources, **kw)
            # Todo el cuerpo, también el texto de los SVG en línea: ver texto.py.
            return markupsafe.Markup(neutralizar_bidi(html)), resources  # noqa: S704

    return ExportadorHTML


@functools.cache
def _exportador():
    """Un exportador por proceso: cada uno nuevo vuelve a compilar sus plantillas Jinja (~30 ms por cuaderno).

    nbconvert reutiliza así un exportador para muchos cuadernos: cada llamada
    recibe sus propios recursos y no guarda nada del cuaderno anterior.
    """
    return clase_exportador_html()()


def fragmento_html(nb: nbformat.NotebookNode | str | Path) -> markupsafe.Markup:
    """Cuerpo HTML saneado de un cuaderno (sin ``<html>`` ni estilos), como Markup: ya es seguro."""
    cuaderno, ruta = cargar_cuaderno(nb)
    html, _ = _exportador().from_notebook_node(cuaderno, resources=_recursos(ruta, None, cuaderno))
    return html


def exportar_html(
    nb: nbformat.NotebookNode | Path,
    salida: Path | None = None,
    titulo: str | None = None,
    navegacion: list[dict] | None = None,
) -> str:
    """Convierte un cuaderno (ejecutado) en un HTML independiente y lo devuelve.

    ``titulo`` es el de la pestaña del navegador y los metadatos del PDF; por
    defecto, el ``metadata.title`` del cuaderno o su primer título ``# ...``.
    Si se da ``salida``, se escribe también allí de forma atómica (nunca queda
    un archivo a medias). ``navegacion`` es una lista de enlaces ``{"texto",
    "href", "rel"}`` (página anterior, siguiente, índice, PDF) que se muestra
    arriba y abajo de la página.
    """
    cuaderno, ruta = cargar_cuaderno(nb)
    recursos = _recursos(ruta, titulo, cuaderno)
    cuerpo, _ = _exportador().from_notebook_node(cuaderno, resources=recursos)
    html = pagina_html(cuerpo, recursos["titulo_informe"], navegacion)
    if salida is not None:
        escribir_archivo(Path(salida), html.encode("utf-8"))
    return html
