"""Fechas en español tal como aparecen en el tablero.

El tablero mezcla formatos: ``06/02/2025`` (día primero), ``1/3/2024``,
``Junio 2023`` (con cualquier uso de mayúsculas), ``15 de enero de 2024``,
``2025-03-05 02:48:19``. Aquí se convierten a fechas ISO y se registra la
*precisión* (día, mes o año), porque «Junio 2025» como fecha de fin no es lo
mismo que «01/06/2025»: un hito que vence en «Junio 2025» no está vencido el
15 de junio.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from ..errores import ErrorFecha

MESES: dict[str, int] = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,  # variante admitida por la RAE y frecuente en Centroamérica
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}

NOMBRES_MESES: tuple[str, ...] = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

PRECISION_DIA = "dia"
PRECISION_MES = "mes"
PRECISION_ANIO = "anio"

# Años admitidos en cualquier fecha (del tablero, de corte o de periodo). La Alianza
# para el Gobierno Abierto nace en 2011: un año fuera de este rango es un error de
# tipeo («2205», «0000»), no la fecha de un plan, y aceptarlo sería leer mal en silencio.
ANIO_MIN = 2000
ANIO_MAX = 2099

_MES = "(?P<mes>" + "|".join(sorted(MESES, key=len, reverse=True)) + ")"
_RE_NUMERICA = re.compile(r"^(?P<dia>\d{1,2})[/.-](?P<mes>\d{1,2})[/.-](?P<anio>\d{4})$")
_RE_ISO = re.compile(r"^(?P<anio>\d{4})-(?P<mes>\d{1,2})-(?P<dia>\d{1,2})$")
_RE_LARGA = re.compile(r"^(?P<dia>\d{1,2})\s+de\s+" + _MES + r"\s+(?:de|del)\s+(?P<anio>\d{4})$")
_RE_MES_ANIO = re.compile(r"^" + _MES + r"\s+(?:de\s+|del\s+)?(?P<anio>\d{4})$")
_RE_ANIO = re.compile(r"^(?P<anio>\d{4})$")
_RE_REGISTRO = re.compile(
    r"^(?P<fecha>\S+)(?:\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?$"
)
# Forma en que el tablero escribe casi todas las fechas de registro. Se convierte
# directamente con datetime.fromisoformat, sin normalizar el texto.
_RE_REGISTRO_CANONICO = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII)
# Un dígito decimal que no es 0-9 (de ancho completo «２», árabe «٢»...): ver digitos_no_ascii.
_RE_DIGITO_NO_ASCII = re.compile(r"(?![0-9])\d")


def digitos_no_ascii(texto: str) -> bool:
    """¿Tiene ``texto`` dígitos decimales que no son 0-9?

    Python los acepta como números (``int("２")`` vale 2), pero el tablero y la CLI
    solo escriben 0-9: en todo el paquete un valor numérico con otros dígitos se
    rechaza, igual en el analizador, las fechas y los parámetros de la CLI.
    """
    return _RE_DIGITO_NO_ASCII.search(texto) is not None


@dataclass(frozen=True)
class FechaHito:
    """Fecha de inicio o fin de un hito, con su precisión original."""

    fecha: date
    precision: str  # PRECISION_DIA, PRECISION_MES o PRECISION_ANIO


def sin_acentos(texto: str) -> str:
    """Quita tildes y diéresis (``á`` → ``a``) conservando la ``ñ``."""
    descompuesto = unicodedata.normalize("NFD", texto)
    limpio = "".join(c for c in descompuesto if unicodedata.category(c) != "Mn" or c == "\u0303")
    return unicodedata.normalize("NFC", limpio)


def _normalizar(texto: str) -> str:
    """Minúsculas, sin tildes y con un solo espacio entre palabras."""
    if texto.isascii():
        # Sin tildes posibles basta con minúsculas y blancos simples (str.split y
        # \s de re reconocen los mismos blancos). Es el caso de casi todas las
        # fechas, y quitar tildes carácter a carácter es lo caro.
        return " ".join(texto.lower().split())
    return " ".join(sin_acentos(texto).lower().split())


def validar_anio(anio: int, original: str) -> None:
    """Error si el año cae fuera de ANIO_MIN..ANIO_MAX."""
    if not ANIO_MIN <= anio <= ANIO_MAX:
        raise ErrorFecha(f"el año {anio:04d} está fuera del rango admitido ({ANIO_MIN}-{ANIO_MAX})", original)


def _construir(anio: int, mes: int, dia: int, original: str) -> date:
    validar_anio(anio, original)
    try:
        return date(anio, mes, dia)
    except ValueError:
        raise ErrorFecha("la fecha no existe en el calendario", original) from None


def _revisar_digitos(texto: str) -> None:
    if digitos_no_ascii(texto):
        raise ErrorFecha("la fecha usa dígitos que no son 0-9", texto)


def parsear_fecha_hito(texto: str, extremo: str) -> FechaHito:
    """Convierte la fecha de inicio o fin de un hito.

    ``extremo`` es ``"inicio"`` o ``"fin"``: una fecha con precisión de mes o
    año se lleva al primer día del periodo si es de inicio y al último si es
    de fin, de modo que el intervalo del hito nunca se acorta.
    """
    if extremo not in ("inicio", "fin"):
        raise ValueError(f"extremo debe ser 'inicio' o 'fin', no {extremo!r}")
    _revisar_digitos(texto)
    t = _normalizar(texto)
    for patron in (_RE_NUMERICA, _RE_ISO, _RE_LARGA):
        m = patron.match(t)
        if m:
            mes = m.group("mes")
            mes_num = MESES[mes] if mes in MESES else int(mes)
            return FechaHito(
                _construir(int(m.group("anio")), mes_num, int(m.group("dia")), texto), PRECISION_DIA
            )
    m = _RE_MES_ANIO.match(t)
    if m:
        anio, mes = int(m.group("anio")), MESES[m.group("mes")]
        validar_anio(anio, texto)
        dia = 1 if extremo == "inicio" else calendar.monthrange(anio, mes)[1]
        return FechaHito(date(anio, mes, dia), PRECISION_MES)
    m = _RE_ANIO.match(t)
    if m:
        anio = int(m.group("anio"))
        validar_anio(anio, texto)
        return FechaHito(date(anio, 1, 1) if extremo == "inicio" else date(anio, 12, 31), PRECISION_ANIO)
    raise ErrorFecha("fecha no reconocida (formatos: 06/02/2025, Junio 2023, 15 de enero de 2024)", texto)


def _registro_canonico(texto: str) -> datetime | None:
    """La fecha de registro si ``texto`` tiene la forma del tablero («2025-03-05 02:48:19») y es válida; si no, None.

    Un año fuera de rango es un error; un día u hora imposibles dan None, para
    que el camino general de :func:`parsear_fecha_registro` diga el motivo exacto.
    """
    if _RE_REGISTRO_CANONICO.fullmatch(texto):
        try:
            momento = datetime.fromisoformat(texto)
        except ValueError:
            return None
        validar_anio(momento.year, texto)
        return momento
    return None


def fecha_registro_iso(texto: str) -> str:
    """``parsear_fecha_registro(texto).isoformat()``.

    En la forma del tablero el resultado es el propio texto con «T» en lugar
    del espacio: se arma así porque ``datetime.isoformat`` cuesta más que
    validar la fecha, y el analizador lo hace con cada avance.
    """
    if _registro_canonico(texto) is not None:
        return texto[:10] + "T" + texto[11:]
    return parsear_fecha_registro(texto).isoformat()


def parsear_fecha_registro(texto: str) -> datetime:
    """Convierte la fecha y hora de registro de un avance (``2025-03-05 02:48:19``).

    También admite la fecha sola y los formatos con día primero; sin hora se
    toma la medianoche.
    """
    momento = _registro_canonico(texto)
    if momento is not None:
        return momento
    _revisar_digitos(texto)
    t = _normalizar(texto)
    m = _RE_REGISTRO.match(t)
    if m is None:
        fecha = parsear_fecha_hito(texto, "inicio")
        if fecha.precision != PRECISION_DIA:
            raise ErrorFecha("la fecha de registro debe indicar el día", texto)
        return datetime.combine(fecha.fecha, datetime.min.time())
    parte_fecha = m.group("fecha")
    dia: date | None = None
    for patron in (_RE_ISO, _RE_NUMERICA):
        mf = patron.match(parte_fecha)
        if mf:
            dia = _construir(int(mf.group("anio")), int(mf.group("mes")), int(mf.group("dia")), texto)
            break
    if dia is None:
        raise ErrorFecha("fecha de registro no reconocida (formato esperado: 2025-03-05 02:48:19)", texto)
    h = int(m.group("h") or 0)
    mi = int(m.group("mi") or 0)
    s = int(m.group("s") or 0)
    if h > 23 or mi > 59 or s > 59:
        raise ErrorFecha("hora imposible en la fecha de registro", texto)
    return datetime(dia.year, dia.month, dia.day, h, mi, s)
