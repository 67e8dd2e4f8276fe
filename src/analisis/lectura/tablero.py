"""Lectura del texto extraído del tablero («tableropan») de un plan de acción.

El texto es una lista de etiquetas y valores, sin marcas de fin de registro::

    8                                   ← contadores de cabecera: el número
    HITOS NO INICIADOS19                  precede a su etiqueta, y la extracción
    HITOS INICIADOS7                      pegó cada etiqueta con el número siguiente
    HITOS COMPLETADOS
    COMPROMISO 1:
    <título, una o más líneas>
    Responsables de implementación:
    <una institución por línea>
    DESCRIPCIÓN DEL COMPROMISO:
    <texto>
    PORCENTAJE DE AVANCE:
    50.00%
    GOBIERNO / OSC / OTROS
    <una organización por línea; «A; B» son dos>
    INSTITUCIÓN RESPONSABLE:            ← empieza un hito
    <institución>
    FECHA DE INICIO: 06/02/2025          (opcional)
    FECHA DE FIN: 30/06/2025             (opcional)
    DESCRIPCIÓN:
    <texto>
    RESULTADOS ESPERADOS:
    <texto>
    AVANCES
    Fecha: 2025-03-05 02:48:19          ← empieza un avance
    Descripción: <texto>
    Porcentaje avance: 12%
    Medios de verificación:              (opcional)

Cada línea no vacía termina en exactamente un campo de un registro; una línea
que no se puede ubicar es un error (:class:`ErrorEntrada`), nunca se descarta.
El analizador es una máquina de estados: las etiquetas se reconocen sin importar
tildes ni mayúsculas, y el texto que no es etiqueta continúa el campo abierto.
Un atajo lee de una vez los hitos y avances de líneas cortas escritos como los
escribe el tablero (``_Analizador.bloques``; los tramos largos de hitos de un
avance, de una línea por campo, por columnas), con el mismo resultado que línea
a línea; todo lo demás, errores incluidos, va línea a línea.
"""

from __future__ import annotations

import gc
import hashlib
import re
import threading
import warnings
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, repeat
from pathlib import Path

from ..errores import AvisoCodificacion, ErrorEntrada, ErrorFecha, motivo_sistema
from .fechas import ANIO_MAX, ANIO_MIN, digitos_no_ascii, fecha_registro_iso, parsear_fecha_hito, sin_acentos
from .rutas import leer_bytes

SECTORES = ("GOBIERNO", "OSC", "OTROS")

# Estado del campo «Medios de verificación» de un avance (columna
# medios_verificacion_estado): la etiqueta con texto, la etiqueta sin texto o
# ninguna etiqueta.
MEDIOS_CON_TEXTO = "con_texto"
MEDIOS_VACIO = "vacio"
MEDIOS_SIN_ETIQUETA = "sin_etiqueta"

# Etiquetas de cabecera en el orden en que el tablero las muestra.
CONTADORES = {
    "HITOS NO INICIADOS": "hitos_no_iniciados",
    "HITOS INICIADOS": "hitos_iniciados",
    "HITOS COMPLETADOS": "hitos_completados",
}


def _flexible(etiqueta: str) -> str:
    """Expresión regular que acepta la etiqueta con o sin tildes y espacios variables."""
    variantes = {"A": "AÁÀÄÂ", "E": "EÉÈËÊ", "I": "IÍÌÏÎ", "O": "OÓÒÖÔ", "U": "UÚÙÜÛ", "N": "NÑ"}
    partes = []
    for c in etiqueta:
        base = sin_acentos(c).upper()
        if c == " ":
            partes.append(r"\s+")
        elif base in variantes:
            partes.append("[" + variantes[base] + variantes[base].lower() + "]")
        else:
            partes.append(re.escape(c))
    return "".join(partes)


# (nombre interno, texto de la etiqueta, lleva dos puntos). Las etiquetas con dos
# puntos pueden traer el valor en la misma línea; las palabras sueltas
# (GOBIERNO, AVANCES...) solo cuentan si ocupan la línea entera.
_ETIQUETAS = [
    # En mayúsculas y con dos puntos: «Compromiso 3: ...» aparece dentro de
    # descripciones, y una línea así partida no debe abrir un compromiso nuevo.
    ("compromiso", r"(?-i:COMPROMISO)\s+(?P<numero>\d+)\s*:\s*", None),
    ("responsables", "Responsables de implementación", True),
    ("descripcion_compromiso", "DESCRIPCIÓN DEL COMPROMISO", True),
    ("porcentaje_compromiso", "PORCENTAJE DE AVANCE", True),
    ("institucion", "INSTITUCIÓN RESPONSABLE", True),
    ("fecha_inicio", "FECHA DE INICIO", True),
    ("fecha_fin", "FECHA DE FIN", True),
    ("descripcion", "DESCRIPCIÓN", True),
    ("resultados", "RESULTADOS ESPERADOS", True),
    ("fecha", "Fecha", True),
    ("porcentaje_avance", "Porcentaje avance", True),
    ("medios", "Medios de verificación", True),
    ("avances", "AVANCES", False),
    ("GOBIERNO", "GOBIERNO", False),
    ("OSC", "OSC", False),
    ("OTROS", "OTROS", False),
]


def _compilar() -> re.Pattern[str]:
    ramas = []
    for i, (_, texto, dos_puntos) in enumerate(_ETIQUETAS):
        if dos_puntos is None:
            cuerpo = texto + r"(?P<valor_c>.*)"
        elif dos_puntos:
            cuerpo = _flexible(texto) + rf"\s*:\s*(?P<valor{i}>.*)"
        else:
            cuerpo = _flexible(texto) + r"\s*:?"
        ramas.append(f"(?P<e{i}>{cuerpo})")
    return re.compile(r"^(?:" + "|".join(ramas) + r")$", re.IGNORECASE | re.DOTALL)


_RE_ETIQUETA = _compilar()
_RE_CONTADOR = re.compile(
    "|".join(f"(?P<c{i}>{_flexible(e)})" for i, e in enumerate(CONTADORES)) + r"|(?P<num>\d+)|(?P<otro>\S+)",
    re.IGNORECASE,
)
# Un porcentaje bien formado: sin ceros a la izquierda, decimales opcionales con
# punto o coma y el signo «%» (el tablero lo escribe siempre). Un valor recortado
# («72.», «72,», «7» sin el signo) no encaja y es un error; «7%» sí es un valor
# bien formado y se acepta: del texto solo no se puede saber que era «72%».
_RE_PORCENTAJE = re.compile(r"(?P<n>(?:0|[1-9][0-9]{0,2})(?:[.,][0-9]+)?)\s*%")
# El número de compromiso más alto admitido: un plan tiene decenas; más de cuatro
# cifras es un error del texto (y un número enorme no cabe en las tablas).
COMPROMISO_MAX = 9999
# Valor más alto de un contador de la cabecera (hitos de un plan).
CONTADOR_MAX = 99999
_RE_URL = re.compile(r"https?://[^\s<>\"«»]+", re.IGNORECASE)
# Las etiquetas empiezan con una de estas letras; descartar el resto de líneas sin
# probar la expresión completa hace al analizador varias veces más rápido en
# textos largos, que son la mayoría de las líneas.
_INICIALES = frozenset("CRDPIFAGOMHN" + "crdpifagomhn")
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_RE_SUSTITUTO = re.compile("[\udc80-\udcff]")
# Los mismos caracteres como bytes: en UTF-8 y en Windows-1252 cada uno de ellos
# solo puede venir de ese mismo byte, así que buscarlos en los bytes crudos (una
# pasada en C) equivale a buscarlos en el texto decodificado.
_BYTES_CONTROL = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# Grupo «e<i>» que cerró la coincidencia -> (nombre interno, es palabra suelta).
_RAMAS = {f"e{i}": (nombre, dos_puntos is False) for i, (nombre, _, dos_puntos) in enumerate(_ETIQUETAS)}
# Una palabra suelta sin «:» solo coincide con una línea (ya sin blancos en los
# extremos: str.strip y \s de re usan los mismos blancos) de su mismo largo, porque
# cada carácter del patrón, aun sin distinguir mayúsculas, cubre uno del texto.
_LARGOS_PALABRAS = frozenset(len(texto) for _, texto, dos_puntos in _ETIQUETAS if dos_puntos is False)
_LARGO_MAX_CABEZA = 40  # más que cualquier etiqueta; solo limita lo que se guarda en la caché
# Entradas distintas que recuerda cada caché de reconocimiento de etiquetas (ver
# _Analizador.analizar): las que se repiten son pocas, y el tope evita que un texto
# de millones de líneas cortas distintas llene la memoria.
_CACHE_MAX = 1 << 16  # unos pocos MB como mucho
_NO_VISTA = object()


def _etiqueta_de_cabeza(cabeza: str) -> tuple[str, bool, str | None] | None:
    """(nombre, es palabra suelta, número de compromiso) si «cabeza:» es una etiqueta; si no, None.

    El analizador no prueba _RE_ETIQUETA en cada línea (ver ``_Analizador.analizar``).
    Como ninguna etiqueta contiene «:», en una etiqueta con dos puntos el primer
    «:» de la línea es el suyo: que la línea sea etiqueta depende solo de la
    cabeza anterior a ese «:» (lo que sigue es el valor), y las pocas cabezas
    distintas se guardan en una caché. Las palabras sueltas (AVANCES, OSC...) van
    después de todas las etiquetas con dos puntos en _ETIQUETAS, así que si la
    cabeza es una de ellas ninguna etiqueta anterior podía coincidir; la línea
    solo es esa palabra si no hay nada tras el «:».
    """
    m = _RE_ETIQUETA.match(cabeza + ":")
    if m is None:
        return None
    nombre, suelta = _RAMAS[m.lastgroup]  # type: ignore[index]
    return nombre, suelta, m.group("numero") if nombre == "compromiso" else None


@dataclass
class Tablero:
    """Resultado del análisis: registros como listas de diccionarios, en orden de aparición."""

    archivo: str
    sha256: str
    codificacion: str
    compromisos: list[dict] = field(default_factory=list)
    hitos: list[dict] = field(default_factory=list)
    avances: list[dict] = field(default_factory=list)
    actores: list[dict] = field(default_factory=list)
    tablero: list[dict] = field(default_factory=list)
    # origen[linea] = (tabla, clave del registro, campo) de cada línea no vacía
    # que el analizador recorrió una a una; None en las demás (y en el índice 0:
    # las líneas se cuentan desde 1).
    origen: list[tuple[str, str, str] | None] = field(default_factory=list, repr=False)
    # Las líneas de los bloques que el atajo del analizador leyó de una vez: una
    # marca por registro que quedó abierto (ver _lineas_de_marca) y, de los que
    # quedaron cerrados, una marca ("cerrados", hitos, avances) con los registros
    # mismos, de cuyo contenido se deduce su marca (ver _marca_de_hito): dicen lo
    # mismo en menos objetos.
    origen_bloques: list[tuple] = field(default_factory=list, repr=False)

    @property
    def origen_lineas(self) -> dict[int, tuple[str, str, str]]:
        """línea -> (tabla, clave del registro, campo): prueba de que ninguna línea se pierde.

        Se arma al pedirlo: el analizador anota cada línea en una lista, más barata
        de llenar que un diccionario, y cada bloque leído de una vez en una marca;
        solo las pruebas consultan el origen.
        """
        origen = list(self.origen)
        for marca in self.origen_bloques:
            if marca[0] == "cerrados":
                marcas = [*map(_marca_de_hito, marca[1]), *map(_marca_de_avance, marca[2])]
            else:
                marcas = [marca]
            for una in marcas:
                tabla, linea, clave = una[:3]
                for i, campo in enumerate(_lineas_de_marca(una)):
                    origen[linea + i] = (tabla, clave, campo)
        return {linea: o for linea, o in enumerate(origen) if o is not None}


def _marca_de_hito(hito: dict) -> tuple:
    """La marca (ver _lineas_de_marca) de un hito que el atajo del analizador escribió completo.

    El hito leído de una vez tiene sus textos ya unidos con «\\n»: cada uno ocupa
    sus líneas más la de su etiqueta.
    """
    descripcion, resultados = hito.get("descripcion"), hito.get("resultados_esperados")
    return (
        "hitos", hito["linea"], hito["hito_id"], "fecha_inicio" in hito, "fecha_fin" in hito,
        0 if descripcion is None else descripcion.count("\n") + 2,
        0 if resultados is None else resultados.count("\n") + 2,
    )


def _marca_de_avance(avance: dict) -> tuple:
    """La marca (ver _lineas_de_marca) de un avance que el atajo del analizador escribió completo.

    Su descripción empieza en la línea de «Descripción:»; «Medios de verificación:»
    ocupa una sola línea, con su texto o sin él.
    """
    return (
        "avances", avance["linea"], avance["avance_id"], avance["descripcion"].count("\n") + 1,
        avance["medios_verificacion_estado"] != MEDIOS_SIN_ETIQUETA,
    )


def _lineas_de_marca(marca: tuple) -> list[str]:
    """El campo de cada línea, en orden, de un bloque leído por el atajo del analizador.

    Un avance: ("avances", línea, clave, líneas de la descripción, con «Medios de
    verificación:»). Un hito: ("hitos", línea, clave, con fecha de inicio, con fecha
    de fin, líneas de la descripción y de los resultados con su etiqueta, 0 si no
    están).
    """
    if marca[0] == "avances":
        _, _, _, descripcion, medios = marca
        return ["fecha_registro", *["descripcion"] * descripcion, "porcentaje", *["medios_verificacion"] * medios]
    _, _, _, inicio, fin, descripcion, resultados = marca
    return [
        "institucion", "institucion", *["fecha_inicio"] * inicio, *["fecha_fin"] * fin,
        *["descripcion"] * descripcion, *["resultados_esperados"] * resultados, "avances",
    ]


NO_ES_CAPTURA = "no es una captura del tablero"


def decodificar(datos: bytes, archivo: str) -> tuple[str, str]:
    """Decodifica el archivo entero como UTF-8 (con o sin BOM) o, si no lo es, como Windows-1252.

    La codificación se decide una sola vez para todo el archivo:

    * UTF-8 estricto, si todo el archivo lo es.
    * Si no, el archivo se juzga UTF-8 igual (y el primer byte inválido es un
      error en su línea real) cuando empieza con el BOM de UTF-8 o cuando tiene al
      menos tantos caracteres no ASCII bien escritos en UTF-8 como bytes inválidos:
      es un texto UTF-8 dañado (truncado a mitad de un carácter, por ejemplo). Un
      texto en Windows-1252 casi nunca forma una secuencia UTF-8 válida, porque
      tras cada letra con tilde viene otra letra y no un byte de continuación.
    * Si no, se lee como Windows-1252 si cada byte es un carácter de esa
      codificación, con un aviso (:class:`AvisoCodificacion`); si no, es un error.
    """
    # ``isspace`` no copia los bytes como ``strip`` y da lo mismo: vacío o solo blancos ASCII.
    if not datos or datos.isspace():
        raise ErrorEntrada(archivo, None, "el archivo está vacío")
    if b"\x00" in datos:
        linea = _linea_del_byte(datos, datos.index(b"\x00"))
        raise ErrorEntrada(archivo, linea, f"{NO_ES_CAPTURA}: contiene bytes nulos, parece un archivo binario")
    try:
        texto, codificacion = datos.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        texto, codificacion = _decodificar_no_utf8(datos, archivo, exc)
    if len(datos.translate(None, _BYTES_CONTROL)) != len(datos):
        # Solo ante un error se recorre línea a línea, para nombrar la primera afectada.
        # El contenido no se muestra: un archivo con caracteres de control no es texto del tablero.
        for numero, linea in enumerate(_partir_lineas(texto), start=1):
            if _RE_CONTROL.search(linea):
                raise ErrorEntrada(archivo, numero, f"{NO_ES_CAPTURA}: tiene caracteres de control, parece un archivo binario")
    return texto, codificacion


def _linea_del_byte(datos: bytes, posicion: int) -> int:
    """Número de línea (contando CRLF, CR y LF como lo hace el analizador) del byte en ``posicion``."""
    previo = datos[:posicion]
    return previo.count(b"\n") + previo.count(b"\r") - previo.count(b"\r\n") + 1


def _decodificar_no_utf8(datos: bytes, archivo: str, error: UnicodeDecodeError) -> tuple[str, str]:
    """La decisión de :func:`decodificar` para un archivo que no es UTF-8 válido de principio a fin."""
    # surrogateescape cambia cada byte inválido por un carácter sustituto (U+DC80..U+DCFF).
    mezcla = datos.decode("utf-8", errors="surrogateescape")
    invalidos = len(_RE_SUSTITUTO.findall(mezcla))
    validos = len(mezcla) - len(mezcla.encode("ascii", "ignore")) - invalidos
    if datos.startswith(b"\xef\xbb\xbf") or validos >= invalidos:
        # Solo los bytes inválidos, no la línea: aún no se sabe si el archivo es una captura del tablero.
        malos = "".join(f"\\x{b:02X}" for b in datos[error.start : error.end])
        raise ErrorEntrada(
            archivo,
            _linea_del_byte(datos, error.start),
            "texto UTF-8 con una secuencia inválida (¿archivo truncado o dañado?)",
            malos,
        )
    try:
        texto = datos.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ErrorEntrada(
            archivo,
            _linea_del_byte(datos, exc.start),
            f"{NO_ES_CAPTURA}: no es texto UTF-8 ni Windows-1252 (byte {datos[exc.start]:02X})",
        ) from None
    warnings.warn(
        f"{archivo}: el archivo no es UTF-8; se lee entero como Windows-1252", AvisoCodificacion, stacklevel=2
    )
    return texto, "windows-1252"


def _partir_lineas(texto: str) -> list[str]:
    # str.splitlines() también corta en \x0c, \x1c, \u2028...: los números de línea
    # dejarían de coincidir con los de un editor. Solo CRLF, CR y LF separan líneas.
    # Equivale a re.split(r"\r\n|\r|\n", texto), varias veces más rápido.
    if "\r" in texto:
        texto = texto.replace("\r\n", "\n").replace("\r", "\n")
    return texto.split("\n")


def _leer_porcentaje(valor: str) -> float | str:
    """El número, o el motivo por el que no es un porcentaje válido.

    Devuelve el motivo en vez de lanzar el error para que el analizador pueda
    guardar en su caché también los valores inválidos (el error lleva la línea,
    que cambia).
    """
    m = _RE_PORCENTAJE.fullmatch(valor.strip())
    if not m:
        if digitos_no_ascii(valor):
            return "el porcentaje usa dígitos que no son 0-9"
        return "el porcentaje no es un número bien formado (p. ej. 12%, 41,7 %, 50.00%)"
    numero = float(m.group("n").replace(",", "."))
    if numero > 100:
        return "el porcentaje supera 100 %"
    return numero


def _urls(*textos: str) -> str:
    encontradas: dict[str, None] = {}  # un dict conserva el orden y se consulta sin recorrerlo
    for texto in textos:
        # Todo enlace lleva «://» cinco o cuatro caracteres después de su inicio
        # («https» o «http»): la búsqueda literal, mucho más barata, descarta los
        # textos sin enlaces y el tramo anterior al primero.
        primero = texto.find("://")
        if primero < 0:
            continue
        for url in _RE_URL.findall(texto, max(0, primero - 5)):
            encontradas[url.rstrip(".,;:)]}'")] = None
    return " ".join(encontradas)


def _fecha_hito(texto: str, extremo: str) -> tuple[str, str]:
    """(fecha ISO, precisión) de ``parsear_fecha_hito(texto, extremo)``."""
    fecha = parsear_fecha_hito(texto, extremo)
    return fecha.fecha.isoformat(), fecha.precision


def _dia_valido(dia: str) -> bool:
    """¿Es «AAAA-MM-DD» (ya con esa forma) un día del calendario en los años admitidos?

    Con una hora válida, es lo que exige fechas.fecha_registro_iso para aceptar
    «AAAA-MM-DD hh:mm:ss» por su atajo.
    """
    try:
        return ANIO_MIN <= date.fromisoformat(dia).year <= ANIO_MAX
    except ValueError:
        return False


# Etiqueta -> (campo, modo) según el registro abierto; ver _accion.
_CAMPOS_COMPROMISO = {
    "responsables": ("responsables", "texto"),
    "descripcion_compromiso": ("descripcion", "texto"),
    "porcentaje_compromiso": ("porcentaje_reportado", "unico"),
    **{sector: (sector, "lista") for sector in SECTORES},
}
_CAMPOS_AVANCE = {
    "descripcion": ("descripcion", "texto"),
    "porcentaje_avance": ("porcentaje", "unico"),
    "medios": ("medios_verificacion", "texto"),
}
_CAMPOS_HITO = {
    "fecha_inicio": ("fecha_inicio", "unico"),
    "fecha_fin": ("fecha_fin", "unico"),
    "descripcion": ("descripcion", "texto"),
    "resultados": ("resultados_esperados", "texto"),
    "avances": ("avances", "ninguno"),
}

# Campos de un hito que el atajo de bloques puede abrir además de «institucion» y «avances».
_CAMPOS_HITO_ATAJO = ("fecha_inicio", "fecha_fin", "descripcion", "resultados_esperados")

# Campos de texto de varias líneas de cada tabla (los de avances, descripción y
# medios, se tratan uno por uno en _Analizador._convertir).
_TEXTOS_COMPROMISO = ("titulo", *(c for c, modo in _CAMPOS_COMPROMISO.values() if modo == "texto"))
_TEXTOS_HITO = ("institucion", *(c for c, modo in _CAMPOS_HITO.values() if modo == "texto"))


# Qué hace cada etiqueta según el registro más interno abierto: es la definición
# de la máquina de estados. Se evalúa una vez por nivel y etiqueta (ver _ACCIONES).
_NIVELES = ("cabecera", "compromiso", "hito", "avance")  # «cabecera»: aún sin ningún registro


def _accion(nivel: str, nombre: str) -> tuple[str, str] | str:
    """(campo, modo) si la etiqueta abre un campo del registro abierto; «compromiso»,
    «hito» o «avance» si abre un registro; si no, el motivo del error."""
    if nombre == "compromiso":
        return "compromiso"
    if nivel == "cabecera":
        return "etiqueta antes del primer «COMPROMISO N:»"
    if nombre == "porcentaje_compromiso" and nivel == "avance":
        nombre = "porcentaje_avance"  # «Porcentaje de avance:» dentro de un avance es el del avance
    if nombre in _CAMPOS_COMPROMISO:
        return _CAMPOS_COMPROMISO[nombre] if nivel == "compromiso" else "etiqueta de compromiso dentro de un hito"
    if nombre == "institucion":
        return "hito"
    if nivel == "compromiso":
        return "etiqueta de hito antes de «INSTITUCIÓN RESPONSABLE:»"
    if nombre == "fecha":
        return "avance"
    if nivel == "avance":
        return _CAMPOS_AVANCE.get(nombre) or "etiqueta de hito dentro de un avance"
    return _CAMPOS_HITO.get(nombre) or "etiqueta de avance fuera de un avance (falta «Fecha:»)"


# Nivel -> {etiqueta: acción}: el analizador consulta la tabla de su nivel en vez
# de recorrer las condiciones de _accion en cada línea.
_ACCIONES = {nivel: {nombre: _accion(nivel, nombre) for nombre, _, _ in _ETIQUETAS} for nivel in _NIVELES}

# Atajo de bloques (ver _Analizador.bloques): los hitos y avances escritos
# exactamente como los escribe el tablero (etiquetas con su grafía canónica, un
# espacio tras «:», sin líneas vacías ni blancos en los extremos, líneas cortas)
# se reconocen de una vez con una expresión regular sobre el texto, en vez de
# línea a línea: en registros de pocas líneas cortas, recorrer las líneas y abrir
# cada campo en Python costaba varias veces más por MB que en registros normales.
# Todo lo que no encaja va línea a línea, que es el que da los errores.
#
# _LINEA es una línea que str.strip deja igual (\s de re y str.isspace son los
# mismos blancos), de hasta _LARGO_MAX_ATAJO caracteres: en líneas más largas la
# expresión regular no gana al bucle. Los cuantificadores posesivos no vuelven
# atrás: un bloque que no encaja se descarta en una pasada.
_LARGO_MAX_ATAJO = 100
_TROZO = 1 << 16  # caracteres por tramo de líneas (ver _Analizador.analizar)
_LINEA = r"(?=\S)[^\n]{0,%d}+(?<=\S)" % _LARGO_MAX_ATAJO
_V = "(" + _LINEA + ")"
# Tope de ocasiones que el atajo se salta tras fallar varias veces seguidas (ver analizar).
_ESPERA_MAX = 64
# Líneas que siguen a la primera de un texto dentro del atajo; un texto más largo
# va línea a línea, y el intento fallido cuesta poco.
_SIGUEN_MAX = 8
# Una línea que sigue a otra de un campo de texto y que el bucle de ``analizar`` no
# puede tomar por etiqueta: no empieza con una de _INICIALES, o empieza con una
# pero no tiene «:» ni el largo de una palabra suelta (lo mismo que mira el bucle
# antes de buscar la etiqueta). Cualquier otra línea termina el texto del bloque:
# si no es la etiqueta esperada, el bloque no encaja, y la búsqueda nunca pasa de
# la etiqueta siguiente.
_SIGUE = (
    "(?:(?![" + "".join(sorted(_INICIALES)) + "])|(?![^\\n:]*+:"
    + "".join(f"|[^\\n]{{{n}}}\\n" for n in sorted(_LARGOS_PALABRAS)) + "))" + _LINEA
)
# Un campo de texto: dos grupos, su primera línea (que el analizador revisa con
# es_etiqueta) y las que siguen, cada una precedida de «\n».
_TEXTO = _V + "((?:\n" + _SIGUE + "){0,%d}+)\n" % _SIGUEN_MAX
_HITO = (
    "INSTITUCIÓN RESPONSABLE:\n" + _V + "\n"  # la institución, de una línea (se une con « »)
    + "(?:FECHA DE INICIO: " + _V + "\n)?"
    "(?:FECHA DE FIN: " + _V + "\n)?"
    "(?:DESCRIPCIÓN:\n" + _TEXTO + ")?"
    "(?:RESULTADOS ESPERADOS:\n" + _TEXTO + ")?"
    "AVANCES\n"
)
_AVANCE = (
    "Fecha: ([0-9]{4}-[0-9][0-9]-[0-9][0-9]) ((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])\n"
    "Descripción: " + _TEXTO + "Porcentaje avance: " + _V + "\n"
    "(Medios de verificación:(?: " + _V + ")?\n)?"
)
# Un hito sin campos opcionales seguido de su primer avance, con una línea de
# descripción: la forma de los registros diminutos. Encaja exactamente donde un
# hito y un avance de las ramas generales encajarían seguidos con esa forma (tras
# la descripción viene la etiqueta del porcentaje, que _SIGUE nunca toma por
# texto), y se lee con una sola búsqueda. Grupos: institución, día, hora,
# descripción, porcentaje y, si está, «Medios de verificación:» con su texto.
_HITO_SIMPLE = "INSTITUCIÓN RESPONSABLE:\n" + _V + "\nAVANCES\n"
_AVANCE_SIMPLE = (
    "Fecha: ([0-9]{4}-[0-9][0-9]-[0-9][0-9]) ((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])\n"
    "Descripción: " + _V + "\nPorcentaje avance: " + _V + "\n"
)
_PAR = _HITO_SIMPLE + _AVANCE_SIMPLE + "(Medios de verificación:(?: " + _V + ")?\n)?"
# Los tramos de pares sin «Medios de verificación:» se leen por columnas (ver
# _Analizador.pares) con _RE_PAR: son 6 líneas, y el texto fijo (sin los grupos
# de institución, descripción y porcentaje) mide _LARGO_FIJO_PAR caracteres, con
# los 10 del día y los 8 de la hora.
_RE_PAR = re.compile(_HITO_SIMPLE + _AVANCE_SIMPLE + "(?!Medios de verificación:)")
_LARGO_FIJO_PAR = len(
    "INSTITUCIÓN RESPONSABLE:\n\nAVANCES\nFecha: " + "0" * 10 + " " + "0" * 8 + "\nDescripción: \nPorcentaje avance: \n"
)
# Un bloque: un par (grupos 1 a 7), un avance (8 entero, 9 a 15 sus partes) o un
# hito (16 entero, 17 a 23 sus partes). ``Match.lastindex`` (el último grupo que
# se cerró) dice cuál: 5 un par sin medios, 6 un par con medios, 8 un avance, 16
# un hito. Se recorre con Pattern.scanner, que sigue donde terminó el anterior.
_RE_BLOQUE = re.compile("(?:" + _PAR + ")|(" + _AVANCE + ")|(" + _HITO + ")")
_RAMA_PAR, _RAMA_AVANCE, _RAMA_HITO = 5, 8, 16  # el par con medios (6) va como el par, sin columnas
# Tras cuántos pares sin medios seguidos el resto del tramo se lee por columnas:
# leer un par por columnas cuesta algo menos que en el bucle de ``bloques``, pero
# preparar las columnas cuesta lo de unos pocos pares (medido en
# benchmarks/README.md), así que solo vale en tramos largos.
_PARES_ANTES_DE_COLUMNAS = 16
# Pares que se leen de una vez por columnas: el primer tramo es corto, porque un
# par inválido (que luego dará un error) desperdicia lo leído de su tramo; cada
# tramo siguiente, cuatro veces el anterior, hasta el tope.
_PARES_POR_TRAMO_MIN = 16
_PARES_POR_TRAMO_MAX = 1024


def _urls_de(descripciones: tuple[str, ...]):
    """Los enlaces de cada descripción (de una línea; ver _urls) de un tramo de pares leído por columnas."""
    # Sin «\n» en ninguna, unidas así «://» solo aparece si está en una de ellas.
    if "://" not in "\n".join(descripciones):
        return repeat("")
    return [_urls(d) if "://" in d else "" for d in descripciones]


class _Analizador:
    """Máquina de estados de una pasada sobre las líneas."""

    def __init__(self, archivo: str, atajo: bool = True):
        self.archivo = archivo
        # Con atajo=False todo pasa por el bucle línea a línea: las pruebas comparan
        # ambos caminos (ver bloques).
        self.atajo = atajo
        self.resultado: Tablero
        self.origen: list[tuple[str, str, str] | None]  # self.resultado.origen
        # Registros abiertos. Se añaden a las tablas del resultado al crearlos: el
        # orden es el mismo que al cerrarlos, porque un registro no contiene otro
        # de su misma tabla.
        self.compromiso: dict | None = None
        self.hito: dict | None = None
        # El registro más interno abierto (compromiso, hito o avance), con su tabla,
        # su clave, los campos que ya abrió y las acciones de las etiquetas en él.
        # El estado interno vive aquí y no en los diccionarios de los registros
        # para que estos solo contengan str, int y float, que el recolector de
        # ciclos de Python no tiene que recorrer.
        self.registro: dict | None = None
        self.tabla, self.clave = "tablero", "1"
        self.vistos: set[str] = set()
        self.vistos_hito: set[str] = set()
        self.acciones = _ACCIONES["cabecera"]
        self.hitos_del_compromiso = 0
        self.avances_del_hito = 0
        # Campo abierto: (nombre, modo) donde modo es "texto" (varias líneas),
        # "unico" (una sola línea de valor), "lista" (una entrada por línea:
        # actores), "ninguno" (no admite texto) o "cabecera" (antes del primer registro).
        self.abierto: tuple[str, str] = ("cabecera", "cabecera")
        # Origen (tabla, clave, campo) de las líneas del campo abierto: se calcula
        # al abrirlo y todas sus líneas comparten la misma tupla. El bucle de
        # ``analizar`` lo actualiza aquí solo para los campos que no son de texto,
        # los únicos que pasan por agregar().
        self.origen_abierto: tuple[str, str, str] = ("tablero", "1", "contadores")
        self.cabecera: list[tuple[int, str]] = []
        self.numeros_compromiso: set[int] = set()
        # Los mismos porcentajes («50%») y fechas de hito se repiten en todo el
        # tablero. Cachés de este análisis (no del proceso: cada archivo paga lo
        # suyo); los errores no se guardan, así que se repiten igual.
        self.porcentajes: dict[str, float | str] = {}  # valor -> número o motivo del error
        self.fechas_hito: dict[tuple[str, str], tuple[str, str]] = {}  # (valor, extremo) -> (ISO, precisión)
        # Hitos y avances que _convertir debe completar: todos salvo los que el atajo
        # de bloques ya escribió completos (ver bloques).
        self.hitos_pendientes: list[dict] = []
        self.avances_pendientes: list[dict] = []
        # «2025-03-05» -> «2025-03-05T» si es el día de una fecha de registro válida, si no "" (ver bloques).
        self.dias: dict[str, str] = {}
        # Instituciones, días y porcentajes ya vistos válidos en un tramo de pares (ver validos).
        self.validos_vistos: tuple[set[str], set[str], set[str]] = (set(), set(), set())

    # -- utilidades -----------------------------------------------------
    def es_captura(self) -> bool:
        """¿Se reconoció ya algo propio del tablero: un «COMPROMISO N:» o un contador de la cabecera?"""
        if self.numeros_compromiso:
            return True
        return any(
            m.lastgroup not in ("num", "otro") for _, texto in self.cabecera for m in _RE_CONTADOR.finditer(texto)
        )

    def error(self, linea: int, motivo: str, texto: str) -> ErrorEntrada:
        return ErrorEntrada(self.archivo, linea, motivo, texto)

    def agregar(self, linea: int, texto: str, original: str, anotar: bool = True) -> None:
        """Añade una línea al campo abierto cuando no es de texto (las de texto las añade el bucle de ``analizar``)."""
        campo, modo = self.abierto
        if modo == "cabecera":
            self.cabecera.append((linea, texto))
            self.origen[linea] = self.origen_abierto
            return
        registro = self.registro
        if modo == "ninguno" or registro is None:
            raise self.error(linea, f"texto fuera de lugar: no pertenece a ningún campo (después de «{campo}»)", original)
        if modo == "lista":
            actores = self.resultado.actores
            compromiso = registro["compromiso"]
            for nombre in texto.split(";"):
                nombre = nombre.strip()
                if nombre:
                    actores.append({"compromiso": compromiso, "sector": campo, "nombre": nombre, "linea": linea})
            self.origen[linea] = self.origen_abierto
            return
        if campo in registro:  # modo "unico"
            raise self.error(linea, f"texto inesperado: el campo «{campo}» admite una sola línea", original)
        registro[campo] = self.convertir(campo, texto, linea, original)
        if anotar:
            self.origen[linea] = self.origen_abierto

    def convertir(self, campo: str, texto: str, linea: int, original: str) -> object:
        """Convierte el valor de un campo de una línea al leerlo, para que el error señale su línea."""
        try:
            if campo == "fecha_registro":
                return fecha_registro_iso(texto)
            if campo in ("porcentaje", "porcentaje_reportado"):
                numero = self.porcentajes.get(texto)
                if numero is None:
                    numero = self.porcentajes[texto] = _leer_porcentaje(texto)
                if numero.__class__ is str:
                    raise self.error(linea, numero, original)  # type: ignore[arg-type]
                return numero
            if campo in ("fecha_inicio", "fecha_fin"):
                clave = (texto, campo.removeprefix("fecha_"))
                fecha = self.fechas_hito.get(clave)
                if fecha is None:
                    fecha = self.fechas_hito[clave] = _fecha_hito(*clave)
                iso, precision = fecha
                self.registro[campo + "_precision"] = precision  # type: ignore[index]
                return iso
        except ErrorFecha as exc:
            raise self.error(linea, exc.motivo, original) from None
        return texto

    # -- registros ----------------------------------------------------------
    def registro_nuevo(self, accion: str, linea: int, original: str, numero: str | None) -> tuple[str, str]:
        """Abre el registro que pide ``accion`` (o lanza su error); devuelve el campo que se abre con él.

        Es el resto de la máquina de estados (ver _accion): el bucle de
        ``analizar`` abre los campos y llama aquí cuando la etiqueta abre un registro.
        """
        if accion == "avance":
            if "avances" not in self.vistos_hito:
                raise self.error(linea, "«Fecha:» de un avance antes de la etiqueta «AVANCES»", original)
            self.avances_del_hito += 1
            hito_id = self.hito["hito_id"]  # type: ignore[index]
            self.clave = avance_id = f"{hito_id}.{self.avances_del_hito}"
            self.registro = avance = {"avance_id": avance_id, "hito_id": hito_id, "numero": self.avances_del_hito, "linea": linea}
            self.resultado.avances.append(avance)
            self.avances_pendientes.append(avance)
            self.tabla, self.vistos, self.acciones = "avances", set(), _ACCIONES["avance"]
            return "fecha_registro", "unico"
        if accion == "hito":
            self.hitos_del_compromiso += 1
            n = self.hitos_del_compromiso
            compromiso = self.compromiso["compromiso"]  # type: ignore[index]
            self.clave = hito_id = f"{compromiso}.{n}"
            self.registro = self.hito = {"hito_id": hito_id, "compromiso": compromiso, "numero": n, "linea": linea}
            self.resultado.hitos.append(self.hito)
            self.hitos_pendientes.append(self.hito)
            self.tabla, self.vistos, self.acciones = "hitos", set(), _ACCIONES["hito"]
            self.vistos_hito = self.vistos
            self.avances_del_hito = 0
            return "institucion", "texto"
        if accion != "compromiso":
            raise self.error(linea, accion, original)
        if digitos_no_ascii(numero) or len(numero) > len(str(COMPROMISO_MAX)) or int(numero) > COMPROMISO_MAX:  # type: ignore[arg-type]
            raise self.error(linea, f"número de compromiso fuera de rango (se admite de 0 a {COMPROMISO_MAX}, con dígitos 0-9)", original)
        n = int(numero)  # type: ignore[arg-type]
        if n in self.numeros_compromiso:
            raise self.error(linea, f"el compromiso {n} aparece dos veces", original)
        self.numeros_compromiso.add(n)
        self.registro = self.compromiso = {"compromiso": n, "linea": linea}
        self.resultado.compromisos.append(self.compromiso)
        self.tabla, self.clave, self.vistos, self.acciones = "compromisos", str(n), set(), _ACCIONES["compromiso"]
        self.hito = None
        self.hitos_del_compromiso = 0
        return "titulo", "texto"  # ninguna etiqueta abre «titulo»: son las líneas que siguen a «COMPROMISO N:»

    # -- atajo de bloques -------------------------------------------------------
    def es_etiqueta(self, linea: str) -> bool:
        """¿Reconoce el bucle de ``analizar`` a ``linea`` (sin blancos en los extremos) como etiqueta?"""
        if linea[0] not in _INICIALES:
            return False
        cabeza, dos_puntos, resto = linea.partition(":")
        if dos_puntos:
            if len(cabeza) <= _LARGO_MAX_CABEZA:
                reconocida = self.cabezas.get(cabeza, _NO_VISTA)
                if reconocida is _NO_VISTA:
                    reconocida = _etiqueta_de_cabeza(cabeza)
            else:
                reconocida = _etiqueta_de_cabeza(cabeza)
            return reconocida is not None and (not reconocida[1] or not resto)
        if len(linea) in _LARGOS_PALABRAS:
            nombre = self.sueltas.get(linea, _NO_VISTA)
            if nombre is _NO_VISTA:
                return _RE_ETIQUETA.match(linea) is not None
            return nombre is not None
        return False

    def validos(self, instituciones: tuple, dias: tuple, porcentajes: tuple) -> int:
        """Cuántos pares de un tramo leído por columnas, desde el primero, valen como en ``bloques``.

        Lo común es que todos los valores ya se hayan visto válidos: tres pasadas
        en C por los conjuntos de valores válidos. Si no, cada valor distinto nuevo
        se valida una sola vez (los inválidos darían un error línea a línea).
        """
        vistas, vistos_dias, vistos_porcentajes = self.validos_vistos
        if (
            all(map(vistos_dias.__contains__, dias)) and all(map(vistos_porcentajes.__contains__, porcentajes))
            and all(map(vistas.__contains__, instituciones))
        ):
            return len(dias)
        cache_dias, cache_porcentajes = self.dias, self.porcentajes
        malas, malos_dias, malos_porcentajes = set(), set(), set()
        for dia in set(dias).difference(vistos_dias):
            if dia not in cache_dias:
                cache_dias[dia] = dia + "T" if _dia_valido(dia) else ""
            (vistos_dias if cache_dias[dia] else malos_dias).add(dia)
        for porcentaje in set(porcentajes).difference(vistos_porcentajes):
            if porcentaje not in cache_porcentajes:
                cache_porcentajes[porcentaje] = _leer_porcentaje(porcentaje)
            (malos_porcentajes if cache_porcentajes[porcentaje].__class__ is str else vistos_porcentajes).add(porcentaje)
        for institucion in set(instituciones).difference(vistas):
            (malas if institucion[0] in _INICIALES and self.es_etiqueta(institucion) else vistas).add(institucion)
        if not (malas or malos_dias or malos_porcentajes):
            return len(dias)
        return next(
            i for i, (institucion, dia, porcentaje) in enumerate(zip(instituciones, dias, porcentajes))
            if institucion in malas or dia in malos_dias or porcentaje in malos_porcentajes
        )

    def pares(self, pos: int, linea: int, compromiso: int, n_hito: int) -> tuple[int, int, int] | None:
        """Los pares seguidos sin medios (un hito y su primer avance: _RE_PAR) desde ``pos``, de una vez.

        Es lo que haría ``bloques`` con cada par, por columnas: la expresión regular
        da los grupos de cada par, ``validos`` dice cuántos valen y los registros se
        arman con comprensiones. Lee por tramos de pares; el primer par inválido
        termina la lectura, y él y lo que sigue quedan para ``bloques`` o el camino
        línea a línea. Los registros se escriben completos. Devuelve el número del
        último hito, la línea y la posición tras los pares, o None si el primero no
        vale (sin haber cambiado nada).
        """
        dias, porcentajes = self.dias, self.porcentajes
        hitos, avances = self.resultado.hitos, self.resultado.avances
        filas_de = map(re.Match.groups, iter(_RE_PAR.scanner(self.texto, pos).match, None))
        inicio, tramo = linea, _PARES_POR_TRAMO_MIN
        while filas := list(islice(filas_de, tramo)):
            instituciones, dias_par, horas, descripciones, porcentajes_par = zip(*filas)
            validos = self.validos(instituciones, dias_par, porcentajes_par)
            if not validos:
                break
            if validos < len(filas):
                instituciones, dias_par, horas, descripciones, porcentajes_par = zip(*filas[:validos])
            numeros = range(n_hito + 1, n_hito + validos + 1)
            hito_ids = [f"{compromiso}.{n}" for n in numeros]
            hitos.extend([
                {"hito_id": hito_id, "compromiso": compromiso, "numero": n, "linea": l, "institucion": institucion}
                for hito_id, n, l, institucion in zip(hito_ids, numeros, range(linea, linea + 6 * validos, 6), instituciones)
            ])
            avances.extend([
                {
                    "avance_id": hito_id + ".1", "hito_id": hito_id, "numero": 1, "linea": l,
                    "fecha_registro": dias[dia] + hora, "descripcion": descripcion, "porcentaje": porcentajes[porcentaje],
                    "medios_verificacion_estado": MEDIOS_SIN_ETIQUETA, "urls": u,
                }
                for hito_id, l, dia, hora, descripcion, porcentaje, u in zip(
                    hito_ids, range(linea + 3, linea + 6 * validos, 6), dias_par, horas, descripciones, porcentajes_par,
                    _urls_de(descripciones),
                )
            ])
            n_hito += validos
            linea += 6 * validos
            pos += (
                _LARGO_FIJO_PAR * validos + sum(map(len, instituciones)) + sum(map(len, descripciones))
                + sum(map(len, porcentajes_par))
            )
            if validos < len(filas):
                break
            tramo = min(4 * tramo, _PARES_POR_TRAMO_MAX)
        if linea == inicio:
            return None
        return n_hito, linea, pos

    def bloques(self, pos: int, linea: int) -> tuple[int, int, list | None, tuple] | None:
        """Los hitos y avances seguidos que empiezan en ``pos`` (la línea ``linea``), de una vez.

        Se llama donde la etiqueta de la línea abre un hito o un avance. Cada
        bloque (un hito, un avance o un par: un hito sin campos opcionales y su
        primer avance) debe encajar en _RE_BLOQUE y ser válido tal como lo
        juzgaría el camino línea a línea (fechas, porcentajes, líneas de texto que
        no son etiquetas); el primero que no encaja, y todo lo que sigue, va línea a
        línea, que es el que da los errores. Tras unos pares sin medios seguidos,
        el resto de su tramo lo lee ``pares`` por columnas. Devuelve None si ninguno encaja, sin
        haber cambiado nada; si no, la posición y el número de línea tras los
        bloques, la lista del campo de texto abierto al final (o None) y el origen
        de sus líneas, y deja el estado como lo dejaría el bucle de ``analizar``.

        Un registro seguido de otro bloque ya no puede cambiar (ver _accion): se
        escribe aquí completo, como lo dejaría _convertir, que no lo vuelve a
        tocar. Solo el último hito o avance queda abierto, con sus textos en
        listas, y pasa por _convertir como los del camino línea a línea.
        """
        texto, fechas, porcentajes, dias = self.texto, self.fechas_hito, self.porcentajes, self.dias
        hitos, avances = self.resultado.hitos, self.resultado.avances
        nuevo_hito, nuevo_avance = hitos.append, avances.append
        primer_hito, primer_avance = len(hitos), len(avances)
        es_etiqueta, iniciales = self.es_etiqueta, _INICIALES
        # Hay un compromiso abierto: solo dentro de uno abre un hito o un avance una etiqueta (ver _accion).
        compromiso, n_hito = self.compromiso["compromiso"], self.hitos_del_compromiso  # type: ignore[index]
        hito_nuevo = False  # ¿se creó aquí algún hito?
        # ¿Abriría «Fecha:» un avance? Solo dentro de un hito que ya pasó por «AVANCES».
        avance_ok = self.acciones["fecha"] == "avance" and "avances" in self.vistos_hito
        if avance_ok:
            hito_id, n_avance = self.hito["hito_id"], self.avances_del_hito  # type: ignore[index]
        inicio = linea
        ultimo = None  # el último bloque que encajó (None si fue un tramo leído por columnas, que termina en ``fin``)
        siguiente = _RE_BLOQUE.scanner(texto, pos).match
        seguidos = 0  # pares sin medios seguidos (ver _PARES_ANTES_DE_COLUMNAS)
        while (m := siguiente()) is not None:
            rama = m.lastindex
            if rama == _RAMA_HITO:
                # Un hito. La primera línea de cada texto no puede ser una etiqueta (lo sería
                # línea a línea); las que siguen ya no lo son por _SIGUE. (Sin una de
                # _INICIALES al comienzo no hace falta preguntar: así en es_etiqueta.)
                institucion, fecha_inicio, fecha_fin, hito_descripcion, descripcion_sigue, resultados, resultados_sigue = (
                    m.group(17, 18, 19, 20, 21, 22, 23)
                )
                if (institucion[0] in iniciales and es_etiqueta(institucion)) or (
                    hito_descripcion is not None and es_etiqueta(hito_descripcion)
                ) or (resultados is not None and es_etiqueta(resultados)):
                    break
                try:
                    if fecha_inicio is not None:
                        clave = (fecha_inicio, "inicio")
                        fecha_inicio = fechas.get(clave) or fechas.setdefault(clave, _fecha_hito(*clave))
                    if fecha_fin is not None:
                        clave = (fecha_fin, "fin")
                        fecha_fin = fechas.get(clave) or fechas.setdefault(clave, _fecha_hito(*clave))
                except ErrorFecha:
                    break
                # Lo mismo que registro_nuevo("hito") y abrir cada campo en su orden.
                n_hito += 1
                hito_id = f"{compromiso}.{n_hito}"
                hito = {"hito_id": hito_id, "compromiso": compromiso, "numero": n_hito, "linea": linea, "institucion": institucion}
                linea += 3
                if fecha_inicio is not None:
                    hito["fecha_inicio_precision"] = fecha_inicio[1]
                    hito["fecha_inicio"] = fecha_inicio[0]
                    linea += 1
                if fecha_fin is not None:
                    hito["fecha_fin_precision"] = fecha_fin[1]
                    hito["fecha_fin"] = fecha_fin[0]
                    linea += 1
                if hito_descripcion is not None:
                    hito["descripcion"] = hito_descripcion + descripcion_sigue
                    linea += descripcion_sigue.count("\n") + 2
                if resultados is not None:
                    hito["resultados_esperados"] = resultados + resultados_sigue
                    linea += resultados_sigue.count("\n") + 2
                nuevo_hito(hito)
                avance_ok, n_avance, hito_nuevo, ultimo, seguidos = True, 0, True, m, 0
                continue
            if rama == _RAMA_AVANCE:
                if not avance_ok:
                    break
                dia, hora, descripcion, sigue, porcentaje, medios_etiqueta, medios = m.group(9, 10, 11, 12, 13, 14, 15)
                es_par, seguidos = False, 0
            else:
                if rama == _RAMA_PAR:
                    seguidos += 1
                    if seguidos > _PARES_ANTES_DE_COLUMNAS:
                        # Un tramo de pares, por columnas; lo que sigue, desde donde termina.
                        leidos = self.pares(m.start(), linea, compromiso, n_hito)
                        if leidos is not None:
                            n_hito, linea, fin = leidos
                            hito_id = f"{compromiso}.{n_hito}"
                            avance_ok, n_avance, hito_nuevo, ultimo, seguidos = True, 1, True, None, 0
                            siguiente = _RE_BLOQUE.scanner(texto, fin).match
                            continue
                else:
                    seguidos = 0
                institucion, dia, hora, descripcion, porcentaje, medios_etiqueta, medios = m.group(1, 2, 3, 4, 5, 6, 7)
                if institucion[0] in iniciales and es_etiqueta(institucion):
                    break
                sigue, es_par = "", True
            # Un avance, o el de un par. La fecha de registro canónica, como
            # fechas.fecha_registro_iso: la hora ya es válida por la expresión; el día,
            # validado una vez por texto. Si no vale, el par entero queda para después.
            try:
                prefijo = dias[dia]
            except KeyError:
                prefijo = dias[dia] = dia + "T" if _dia_valido(dia) else ""
            try:
                numero = porcentajes[porcentaje]
            except KeyError:
                numero = porcentajes[porcentaje] = _leer_porcentaje(porcentaje)
            if not prefijo or numero.__class__ is str:
                break
            if es_par:
                # Lo mismo que el hito de la rama general, sin campos opcionales.
                n_hito += 1
                hito_id = f"{compromiso}.{n_hito}"
                nuevo_hito({"hito_id": hito_id, "compromiso": compromiso, "numero": n_hito, "linea": linea, "institucion": institucion})
                linea += 3
                avance_ok, n_avance, hito_nuevo = True, 0, True
            n_avance += 1
            avance_id = f"{hito_id}.{n_avance}"
            if sigue:
                descripcion += sigue  # = "\n".join de sus líneas
            urls = _urls(descripcion, medios or "") if "://" in descripcion or (medios and "://" in medios) else ""
            if medios_etiqueta is None:
                avance = {
                    "avance_id": avance_id, "hito_id": hito_id, "numero": n_avance, "linea": linea,
                    "fecha_registro": prefijo + hora, "descripcion": descripcion, "porcentaje": numero,
                    "medios_verificacion_estado": MEDIOS_SIN_ETIQUETA, "urls": urls,
                }
            elif medios is None:
                avance = {
                    "avance_id": avance_id, "hito_id": hito_id, "numero": n_avance, "linea": linea,
                    "fecha_registro": prefijo + hora, "descripcion": descripcion, "porcentaje": numero,
                    "medios_verificacion_estado": MEDIOS_VACIO, "urls": urls,
                }
            else:
                avance = {
                    "avance_id": avance_id, "hito_id": hito_id, "numero": n_avance, "linea": linea,
                    "fecha_registro": prefijo + hora, "descripcion": descripcion, "porcentaje": numero,
                    "medios_verificacion": medios, "medios_verificacion_estado": MEDIOS_CON_TEXTO, "urls": urls,
                }
            nuevo_avance(avance)
            n = sigue.count("\n") + 1 if sigue else 1
            linea += 3 + n if medios_etiqueta is not None else 2 + n
            ultimo = m
        if linea == inicio:
            return None
        # El estado que deja el último bloque (ver __init__ y el bucle de analizar).
        # Su registro sigue abierto: vuelve a la forma del camino línea a línea.
        # El origen de las líneas de los demás, que ya no cambian, se deduce de ellos
        # al pedirlo (ver Tablero.origen_lineas); el del último, ahora.
        lista = None
        if hito_nuevo:
            hito = hitos[-1]
            self.hito, self.hitos_del_compromiso = hito, n_hito
            self.vistos_hito = vistos_hito = {"institucion", "avances"}
            vistos_hito.update(c for c in _CAMPOS_HITO_ATAJO if c in hito)
        self.avances_del_hito = n_avance
        marcas = self.resultado.origen_bloques
        if ultimo is not None and ultimo.lastindex == _RAMA_HITO:
            marcas.append(("cerrados", hitos[primer_hito:-1], avances[primer_avance:]))
            marcas.append(_marca_de_hito(hito))
            hito["institucion"] = [hito["institucion"]]
            for campo in ("descripcion", "resultados_esperados"):
                if campo in hito:
                    hito[campo] = hito[campo].split("\n")
            self.hitos_pendientes.append(hito)
            self.registro, self.tabla, self.clave, self.acciones = hito, "hitos", hito_id, _ACCIONES["hito"]
            self.vistos = vistos_hito
            self.abierto = ("avances", "ninguno")
            origen_abierto = ("hitos", hito_id, "avances")
        else:
            avance = avances[-1]
            marcas.append(("cerrados", hitos[primer_hito:], avances[primer_avance:-1]))
            marcas.append(_marca_de_avance(avance))
            avance_id, estado = avance["avance_id"], avance["medios_verificacion_estado"]
            del avance["medios_verificacion_estado"], avance["urls"]
            avance["descripcion"] = avance["descripcion"].split("\n")
            vistos = {"fecha_registro", "descripcion", "porcentaje"}
            if estado == MEDIOS_SIN_ETIQUETA:
                self.abierto = ("porcentaje", "unico")
                origen_abierto = ("avances", avance_id, "porcentaje")
            else:
                origen_abierto = ("avances", avance_id, "medios_verificacion")
                lista = avance["medios_verificacion"] = [avance["medios_verificacion"]] if estado == MEDIOS_CON_TEXTO else []
                vistos.add("medios_verificacion")
            self.avances_pendientes.append(avance)
            self.registro, self.tabla, self.clave, self.acciones = avance, "avances", avance_id, _ACCIONES["avance"]
            self.vistos = vistos
        self.origen_abierto = origen_abierto  # para agregar(), si el campo abierto no es de texto
        return fin if ultimo is None else ultimo.end(), linea, lista, origen_abierto

    # -- pasada principal -----------------------------------------------------
    def analizar(self, texto: str, sha256: str, codificacion: str) -> Tablero:
        if "\r" in texto:  # como _partir_lineas: el atajo de bloques lee el texto con solo «\n»
            texto = texto.replace("\r\n", "\n").replace("\r", "\n")
        self.texto = texto
        self.resultado = Tablero(archivo=self.archivo, sha256=sha256, codificacion=codificacion)
        self.origen = origen = self.resultado.origen = [None] * (texto.count("\n") + 2)
        agregar, registro_nuevo, convertir, error = self.agregar, self.registro_nuevo, self.convertir, self.error
        # Cachés (hasta _CACHE_MAX entradas cada una): cabeza de la línea antes del
        # primer «:» -> _etiqueta_de_cabeza(cabeza), y línea sin «:» del largo de una
        # palabra suelta (AVANCES, OSC...) -> su etiqueta o None.
        cabezas: dict = {}
        sueltas: dict = {}
        # Copias locales del registro más interno (ver __init__), que solo cambian
        # en registro_nuevo, y del campo de texto abierto: su lista de líneas (None
        # si el campo abierto no es de texto) y el origen que comparten sus líneas.
        registro, tabla, clave, vistos, acciones = self.registro, self.tabla, self.clave, self.vistos, self.acciones
        lista: list[str] | None = None
        origen_abierto = self.origen_abierto

        # Nombres locales: en el bucle de cientos de miles de líneas cada búsqueda cuenta.
        iniciales, largos, largo_max, no_vista = _INICIALES, _LARGOS_PALABRAS, _LARGO_MAX_CABEZA, _NO_VISTA
        self.cabezas, self.sueltas = cabezas, sueltas  # para es_etiqueta()
        atajo, largo_atajo = self.atajo, _LARGO_MAX_ATAJO
        fallos = espera = 0  # intentos fallidos seguidos del atajo y ocasiones que aún se saltan
        espera_max = _ESPERA_MAX

        # El texto se parte en líneas por tramos (de unos _TROZO caracteres, hasta un
        # fin de línea): las líneas que resuelve el atajo de bloques no hace falta
        # partirlas, y tras un atajo que pasa del tramo se parte desde donde terminó.
        # ``base`` es el número de líneas antes del tramo.
        pos_trozo, base = 0, 0
        while True:
            fin = texto.find("\n", pos_trozo + _TROZO)
            lineas = (texto[pos_trozo:] if fin < 0 else texto[pos_trozo:fin]).split("\n")
            # Posición en el texto de una línea ya conocida (número, desplazamiento), para
            # hallar la de la línea donde se prueba el atajo sin sumar cada línea.
            sinc_numero, sinc_pos = base + 1, pos_trozo
            reanudar = False
            filas = enumerate(lineas, start=base + 1)
            for numero, cruda in filas:
                linea = cruda.strip()
                if not linea:
                    continue
                # ¿Es etiqueta? Lo mismo que _RE_ETIQUETA.match(linea), sin probar la
                # expresión en cada línea: toda etiqueta empieza con una de las iniciales
                # y, o bien lleva «:» (se decide por la cabeza, con caché), o bien es una
                # palabra suelta que ocupa la línea entera. Una palabra suelta sin «:» solo
                # coincide con una línea de su mismo largo, porque cada carácter del
                # patrón, aun sin distinguir mayúsculas, cubre uno del texto (y str.strip
                # y \s de re quitan los mismos blancos).
                nombre = None
                if linea[0] in iniciales:
                    cabeza, dos_puntos, resto = linea.partition(":")
                    if dos_puntos:
                        if len(cabeza) <= largo_max:
                            reconocida = cabezas.get(cabeza, no_vista)
                            if reconocida is no_vista:
                                reconocida = _etiqueta_de_cabeza(cabeza)
                                if len(cabezas) < _CACHE_MAX:
                                    cabezas[cabeza] = reconocida
                        else:
                            reconocida = _etiqueta_de_cabeza(cabeza)
                        if reconocida is not None:
                            nombre, suelta, n_compromiso = reconocida
                            if not suelta:
                                valor = resto.strip()
                            elif not resto:
                                valor = ""
                            else:
                                nombre = None
                    elif len(linea) in largos:
                        nombre = sueltas.get(linea, no_vista)
                        if nombre is no_vista:
                            m = _RE_ETIQUETA.match(linea)
                            nombre = None if m is None else _RAMAS[m.lastgroup][0]  # type: ignore[index]
                            if len(sueltas) < _CACHE_MAX:
                                sueltas[linea] = nombre
                        valor, n_compromiso = "", None
                if nombre is None:
                    # Una línea de texto: continúa el campo abierto.
                    if lista is None:
                        agregar(numero, linea, cruda)
                    else:
                        lista.append(linea)  # se unen en _convertir
                        origen[numero] = origen_abierto
                    continue

                # Una etiqueta: lo que hace depende del registro abierto (ver _accion).
                accion = acciones[nombre]
                if accion.__class__ is not tuple:
                    if (accion == "hito" or accion == "avance") and atajo:
                        # Atajo: los bloques de hitos y avances escritos como los escribe
                        # el tablero, de una vez; si no encajan, None y se sigue línea a línea.
                        # Solo se prueba si la línea siguiente es corta (en líneas largas la
                        # expresión regular no gana al bucle), y tras cada intento fallido
                        # se saltan cada vez más ocasiones (1, 3, 7... hasta _ESPERA_MAX): en
                        # un texto que casi nunca encaja los intentos costarían más que lo
                        # que ahorran. El resultado es el mismo se pruebe o no.
                        if espera:
                            espera -= 1
                        elif numero - base < len(lineas) and len(lineas[numero - base]) <= largo_atajo:
                            sinc_pos += sum(map(len, lineas[sinc_numero - base - 1 : numero - base - 1])) + numero - sinc_numero
                            sinc_numero = numero
                            bloque = self.bloques(sinc_pos, numero)
                            if bloque is None:
                                fallos = espera = min(2 * fallos + 1, espera_max)
                            else:
                                fallos = 0
                                sinc_pos, sinc_numero, lista, origen_abierto = bloque
                                registro, tabla, clave, vistos, acciones = self.registro, self.tabla, self.clave, self.vistos, self.acciones
                                if sinc_numero - base > len(lineas):
                                    reanudar = True  # los bloques pasan del tramo: se parte desde su fin
                                    break
                                usadas = sinc_numero - numero
                                next(islice(filas, usadas - 1, usadas - 1), None)  # descarta las demás líneas de los bloques
                                continue
                    accion = registro_nuevo(accion, numero, cruda, n_compromiso)
                    registro, tabla, clave, vistos, acciones = self.registro, self.tabla, self.clave, self.vistos, self.acciones
                # Abre el campo de la etiqueta en el registro abierto.
                campo, modo = accion
                if campo in vistos:
                    raise error(numero, f"etiqueta repetida en el mismo registro ({campo})", cruda)
                vistos.add(campo)
                origen[numero] = origen_abierto = (tabla, clave, campo)
                if modo == "texto":
                    # Un campo de texto junta sus líneas en una lista mientras está
                    # abierto (ver _convertir): sumar cadenas línea a línea haría
                    # cuadrático el análisis de un texto de cientos de miles de líneas.
                    lista = registro[campo] = [valor] if valor else []  # type: ignore[index]
                    continue
                lista = None
                self.abierto = accion  # para agregar(), que solo recibe las líneas de campos que no son de texto
                if modo == "lista":
                    origen_abierto = ("actores", f"{registro['compromiso']}:{campo}", "nombre")  # type: ignore[index]
                self.origen_abierto = origen_abierto  # para agregar()
                if valor:
                    if modo == "unico":
                        # El campo recién abierto aún no está en el registro (fuera de su
                        # etiqueta solo se escriben los «*_precision»): no hace falta agregar().
                        registro[campo] = convertir(campo, valor, numero, cruda)  # type: ignore[index]
                    else:
                        agregar(numero, valor, cruda, anotar=False)
            if reanudar:
                pos_trozo, base = sinc_pos, sinc_numero - 1
            elif fin < 0:
                break
            else:
                pos_trozo, base = fin + 1, base + len(lineas)
        self._contadores()
        self._convertir()
        return self.resultado

    def _contadores(self) -> None:
        """Interpreta la cabecera: cada número es el valor de la etiqueta que lo sigue."""
        if not self.cabecera:
            return
        pendiente: tuple[int, int] | None = None
        fila: dict = {"linea": self.cabecera[0][0]}
        etiquetas = list(CONTADORES.values())
        for linea, texto in self.cabecera:
            for m in _RE_CONTADOR.finditer(texto):
                if m.lastgroup == "num":
                    if pendiente is not None:
                        raise self.error(linea, "dos números seguidos en la cabecera", texto)
                    cifras = m.group("num")
                    if digitos_no_ascii(cifras) or len(cifras) > len(str(CONTADOR_MAX)) or int(cifras) > CONTADOR_MAX:
                        raise self.error(linea, f"contador de la cabecera fuera de rango (se admite de 0 a {CONTADOR_MAX}, con dígitos 0-9)", texto)
                    pendiente = (int(cifras), linea)
                elif m.lastgroup == "otro":
                    raise self.error(linea, "texto fuera de lugar: no pertenece a ningún registro", texto)
                else:
                    columna = etiquetas[int(m.lastgroup[1:])]  # type: ignore[index]
                    if columna in fila:
                        raise self.error(linea, "contador repetido en la cabecera", texto)
                    if pendiente is None:
                        raise self.error(linea, "contador de la cabecera sin número delante", texto)
                    fila[columna] = pendiente[0]
                    pendiente = None
        if pendiente is not None:
            raise self.error(pendiente[1], "número de la cabecera sin etiqueta", str(pendiente[0]))
        self.resultado.tablero.append(fila)

    def _convertir(self) -> None:
        """Completa los registros: une las líneas de cada campo de texto y calcula los campos derivados.

        Un campo de texto sin líneas queda ausente, como si no tuviera etiqueta;
        salvo «Medios de verificación», cuyo estado dice si la etiqueta estaba.
        Una pasada por tabla; los errores de hitos van antes que los de avances.
        """
        r = self.resultado
        hitos, avances = self.hitos_pendientes, self.avances_pendientes
        for registros, campos in ((r.compromisos, _TEXTOS_COMPROMISO), (hitos, _TEXTOS_HITO[1:])):
            for registro in registros:
                for campo in campos:
                    partes = registro.get(campo)
                    if partes is not None:
                        if partes:
                            registro[campo] = "\n".join(partes)
                        else:
                            del registro[campo]
        for h in hitos:
            # Un nombre de institución partido en dos líneas es un solo nombre.
            # (Todo hito abre su campo «institucion» al crearse.)
            h["institucion"] = institucion = " ".join(h["institucion"])
            if not institucion:
                raise self.error(h["linea"], "hito sin institución responsable", "INSTITUCIÓN RESPONSABLE:")
        for a in avances:
            descripcion = a.get("descripcion")
            if descripcion is None:
                descripcion = ""
            elif descripcion:
                a["descripcion"] = descripcion = "\n".join(descripcion)
            else:
                del a["descripcion"]
                descripcion = ""
            # «Etiqueta vacía» y «sin etiqueta» dicen cosas distintas de quien reporta.
            medios = a.get("medios_verificacion")
            if medios is None:
                a["medios_verificacion_estado"], medios = MEDIOS_SIN_ETIQUETA, ""
            elif medios:
                a["medios_verificacion_estado"] = MEDIOS_CON_TEXTO
                a["medios_verificacion"] = medios = "\n".join(medios)
            else:
                a["medios_verificacion_estado"], medios = MEDIOS_VACIO, ""
                del a["medios_verificacion"]
            if not a.get("fecha_registro"):
                raise self.error(a["linea"], "avance sin fecha de registro", "Fecha:")
            # Sin «://» no hay enlaces (ver _urls); así se evita la llamada en la mayoría.
            a["urls"] = _urls(descripcion, medios) if "://" in descripcion or "://" in medios else ""


def parsear_texto(texto: str, archivo: str = "<texto>", sha256: str = "", codificacion: str = "utf-8") -> Tablero:
    """Analiza el texto ya decodificado de un tablero."""
    # El análisis crea cientos de miles de objetos que no forman ciclos (las tuplas
    # de origen_lineas, sobre todo); el recolector de ciclos los recorrería una y
    # otra vez sin liberar nada. Se pausa durante el análisis y se restablece igual.
    recolector = gc.isenabled()
    gc.disable()
    analizador = _Analizador(archivo)
    try:
        return analizador.analizar(texto, sha256, codificacion)
    except ErrorEntrada as exc:
        if analizador.es_captura():
            raise
        # Un archivo que no empieza como el tablero (otro texto cualquiera) se nombra
        # como tal, sin mostrar su contenido: podría ser un archivo privado dado por error.
        raise ErrorEntrada(
            archivo, _primera_linea_no_vacia(texto),
            f"{NO_ES_CAPTURA} (no empieza con los contadores «HITOS ...» ni con «COMPROMISO 1:»)",
        ) from None
    finally:
        if recolector:
            gc.enable()


def _primera_linea_no_vacia(texto: str) -> int:
    for numero, linea in enumerate(_partir_lineas(texto), start=1):
        if linea.strip():
            return numero
    return 1


# Por debajo de este tamaño crear el hilo cuesta más de lo que se gana.
_BYTES_HUELLA_EN_HILO = 1 << 20


def parsear_bytes(datos: bytes, archivo: str = "<bytes>") -> Tablero:
    """Analiza el contenido crudo de un archivo (detecta la codificación)."""
    huella = hashlib.sha256()
    if len(datos) < _BYTES_HUELLA_EN_HILO:
        texto, codificacion = decodificar(datos, archivo)
        huella.update(datos)
    else:
        # hashlib suelta el GIL mientras calcula: en otro hilo, la huella de un
        # archivo grande sale gratis mientras se decodifica el texto.
        hilo = threading.Thread(target=huella.update, args=(datos,))
        hilo.start()
        try:
            texto, codificacion = decodificar(datos, archivo)
        finally:
            hilo.join()
    return parsear_texto(texto, archivo, huella.hexdigest(), codificacion)


def parsear_archivo(ruta: str | Path) -> Tablero:
    """Lee y analiza un archivo del tablero; los errores nombran ``archivo:línea``."""
    ruta = Path(ruta)
    try:
        datos = leer_bytes(ruta)
    except OSError as exc:
        raise ErrorEntrada(ruta, None, f"no se puede leer el archivo ({motivo_sistema(exc)})") from None
    return parsear_bytes(datos, str(ruta))
