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
"""

from __future__ import annotations

import gc
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from .exceptions import ErrorEntrada, ErrorFecha
from .fechas import parsear_fecha_hito, parsear_fecha_registro, sin_acentos

SECTORES = ("GOBIERNO", "OSC", "OTROS")

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
_RE_PORCENTAJE = re.compile(r"^(?P<n>\d{1,3}(?:[.,]\d+)?)\s*%?$")
_RE_URL = re.compile(r"https?://[^\s<>\"«»]+", re.IGNORECASE)
# Las etiquetas empiezan con una de estas letras; descartar el resto de líneas sin
# probar la expresión completa hace al analizador varias veces más rápido en
# textos largos, que son la mayoría de las líneas.
_INICIALES = frozenset("CRDPIFAGOMHN" + "crdpifagomhn")
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Los mismos caracteres como bytes: en UTF-8 y en Windows-1252 cada uno de ellos
# solo puede venir de ese mismo byte, así que buscarlos en los bytes crudos (una
# pasada en C) equivale a buscarlos en el texto decodificado.
_BYTES_CONTROL = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# Forma en que el tablero escribe casi todas las fechas de registro, con la hora
# ya validada; el resto pasa por ``parsear_fecha_registro``, que normaliza el
# texto y es varias veces más lento.
_RE_REGISTRO_CANONICO = re.compile(r"\d{4}-\d\d-\d\d (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d", re.ASCII)

# Grupo «e<i>» que cerró la coincidencia -> (nombre interno, es palabra suelta).
_RAMAS = {f"e{i}": (nombre, dos_puntos is False) for i, (nombre, _, dos_puntos) in enumerate(_ETIQUETAS)}
# Una palabra suelta sin «:» solo coincide con una línea (ya sin blancos en los
# extremos: str.strip y \s de re usan los mismos blancos) de su mismo largo, porque
# cada carácter del patrón, aun sin distinguir mayúsculas, cubre uno del texto.
_LARGOS_PALABRAS = frozenset(len(texto) for _, texto, dos_puntos in _ETIQUETAS if dos_puntos is False)
_LARGO_MAX_CABEZA = 40  # más que cualquier etiqueta; solo limita lo que se guarda en la caché
_NO_VISTA = object()


def _reconocer(linea: str, cabezas: dict) -> tuple[str, str, str | None] | None:
    """(nombre, valor, número de compromiso) si la línea es una etiqueta; si no, None.

    Da lo mismo que ``_RE_ETIQUETA.match(linea)`` sobre la línea sin blancos en
    los extremos, sin probar la expresión en cada línea. Como ninguna etiqueta
    contiene «:», en una etiqueta con dos puntos el primer «:» de la línea es el
    suyo: que la línea sea etiqueta depende solo de la cabeza anterior a ese «:»
    (lo que sigue es el valor), y las pocas cabezas distintas se guardan en
    ``cabezas``. Las palabras sueltas (AVANCES, OSC...) van después de todas las
    etiquetas con dos puntos en _ETIQUETAS, así que si la cabeza es una de ellas
    ninguna etiqueta anterior podía coincidir; la línea solo es esa palabra si
    no hay nada tras el «:».
    """
    i = linea.find(":")
    if i < 0:
        if len(linea) not in _LARGOS_PALABRAS:
            return None
        m = _RE_ETIQUETA.match(linea)
        return None if m is None else (_RAMAS[m.lastgroup][0], "", None)  # type: ignore[index]
    cabeza = linea[:i]
    previo = cabezas.get(cabeza, _NO_VISTA) if i <= _LARGO_MAX_CABEZA else _NO_VISTA
    if previo is _NO_VISTA:
        m = _RE_ETIQUETA.match(cabeza + ":")
        if m is None:
            previo = None
        else:
            nombre, suelta = _RAMAS[m.lastgroup]  # type: ignore[index]
            previo = (nombre, suelta, m.group("numero") if nombre == "compromiso" else None)
        if i <= _LARGO_MAX_CABEZA:
            cabezas[cabeza] = previo
    if previo is None:
        return None
    nombre, suelta, numero = previo
    if suelta:
        return (nombre, "", None) if i == len(linea) - 1 else None
    return nombre, linea[i + 1 :].strip(), numero


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
    # linea -> (tabla, clave del registro, campo): prueba de que ninguna línea se pierde.
    origen_lineas: dict[int, tuple[str, str, str]] = field(default_factory=dict)

    def a_tablas(self):  # -> analisis.paquete.Tablas (importación diferida: paquete importa este módulo)
        """Las tablas tipadas (DataFrames), iguales a las que se leen del paquete escrito."""
        from .paquete import tablas_desde_tablero

        return tablas_desde_tablero(self)


def decodificar(datos: bytes, archivo: str) -> tuple[str, str]:
    """Decodifica UTF-8 (con o sin BOM) o, si no es UTF-8 válido, Windows-1252."""
    # ``isspace`` no copia los bytes como ``strip`` y da lo mismo: vacío o solo blancos ASCII.
    if not datos or datos.isspace():
        raise ErrorEntrada(archivo, None, "el archivo está vacío")
    if b"\x00" in datos:
        linea = datos[: datos.index(b"\x00")].count(b"\n") + 1
        raise ErrorEntrada(archivo, linea, "el archivo parece binario (contiene bytes nulos), no es texto del tablero")
    try:
        texto, codificacion = datos.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            texto, codificacion = datos.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as exc:
            linea = datos[: exc.start].count(b"\n") + 1
            raise ErrorEntrada(
                archivo, linea, "el archivo no es texto UTF-8 ni Windows-1252", repr(datos[exc.start : exc.start + 8])
            ) from None
    if len(datos.translate(None, _BYTES_CONTROL)) != len(datos):
        # Solo ante un error se recorre línea a línea, para nombrar la primera afectada.
        for numero, linea in enumerate(_partir_lineas(texto), start=1):
            if _RE_CONTROL.search(linea):
                raise ErrorEntrada(
                    archivo, numero, "el archivo parece binario (caracteres de control)", repr(linea[:40])
                )
    return texto, codificacion


def _partir_lineas(texto: str) -> list[str]:
    # str.splitlines() también corta en \x0c, \x1c, \u2028...: los números de línea
    # dejarían de coincidir con los de un editor. Solo CRLF, CR y LF separan líneas.
    # Equivale a re.split(r"\r\n|\r|\n", texto), varias veces más rápido.
    if "\r" in texto:
        texto = texto.replace("\r\n", "\n").replace("\r", "\n")
    return texto.split("\n")


def _porcentaje(valor: str, archivo: str, linea: int, original: str) -> float:
    m = _RE_PORCENTAJE.match(valor.strip())
    if not m:
        raise ErrorEntrada(archivo, linea, "el porcentaje no es un número", original)
    numero = float(m.group("n").replace(",", "."))
    if numero > 100:
        raise ErrorEntrada(archivo, linea, "el porcentaje supera 100 %", original)
    return numero


def _urls(*textos: str) -> str:
    encontradas: list[str] = []
    for texto in textos:
        # Todo enlace lleva «://» cinco o cuatro caracteres después de su inicio
        # («https» o «http»): la búsqueda literal, mucho más barata, descarta los
        # textos sin enlaces y el tramo anterior al primero.
        primero = texto.find("://")
        if primero < 0:
            continue
        for url in _RE_URL.findall(texto, max(0, primero - 5)):
            url = url.rstrip(".,;:)]}'")
            if url not in encontradas:
                encontradas.append(url)
    return " ".join(encontradas)


# Las mismas fechas de hito se repiten en todo el tablero; FechaHito es inmutable y
# los errores no se guardan, así que se repiten igual.
_fecha_hito = lru_cache(maxsize=4096)(parsear_fecha_hito)


def _fecha_registro(texto: str) -> str:
    """``parsear_fecha_registro(texto).isoformat()``, con atajo para «2025-03-05 02:48:19»."""
    if _RE_REGISTRO_CANONICO.fullmatch(texto):
        try:
            date.fromisoformat(texto[:10])  # solo valida el día
        except ValueError:
            pass  # fecha imposible: que la rechace parsear_fecha_registro con su mensaje
        else:
            return texto[:10] + "T" + texto[11:]
    return parsear_fecha_registro(texto).isoformat()


# Etiqueta -> (campo, modo) según el registro abierto; ver _Analizador.abierto.
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


class _Analizador:
    """Máquina de estados de una pasada sobre las líneas."""

    def __init__(self, archivo: str):
        self.archivo = archivo
        self.resultado: Tablero
        self.origen: dict[int, tuple[str, str, str]]  # self.resultado.origen_lineas
        self.compromiso: dict | None = None
        self.hito: dict | None = None
        self.avance: dict | None = None
        # Estado interno de los registros abiertos; vive aquí y no en los
        # diccionarios de los registros para que estos solo contengan str, int y
        # float, que el recolector de ciclos de Python no tiene que recorrer.
        self.vistos_compromiso: set[str] = set()  # campos ya abiertos en cada registro
        self.vistos_hito: set[str] = set()
        self.vistos_avance: set[str] = set()
        self.hitos_del_compromiso = 0
        self.avances_del_hito = 0
        # Campo abierto: (registro, nombre del campo, modo) donde modo es
        # "texto" (varias líneas), "unico" (una sola línea de valor), "lista"
        # (una entrada por línea: actores) o "ninguno" (no admite texto).
        self.abierto: tuple[dict | None, str, str] = (None, "cabecera", "cabecera")
        # Origen (tabla, clave, campo) de las líneas de texto del campo abierto: se
        # calcula al abrirlo y todas sus líneas comparten la misma tupla.
        self.origen_abierto: tuple[str, str, str] = ("tablero", "1", "contadores")
        self.cabecera: list[tuple[int, str]] = []
        self.numeros_compromiso: set[int] = set()

    # -- utilidades -----------------------------------------------------
    def error(self, linea: int, motivo: str, texto: str) -> ErrorEntrada:
        return ErrorEntrada(self.archivo, linea, motivo, texto)

    def abrir(self, registro: dict, campo: str, modo: str, linea: int, valor: str, original: str) -> None:
        """Abre un campo de ``registro``; si la etiqueta trae valor en la misma línea, lo añade."""
        if registro is self.avance:
            tabla, clave, vistos = "avances", registro["avance_id"], self.vistos_avance
        elif registro is self.hito:
            tabla, clave, vistos = "hitos", registro["hito_id"], self.vistos_hito
        else:
            tabla, clave, vistos = "compromisos", str(registro["compromiso"]), self.vistos_compromiso
        if campo in vistos:
            raise self.error(linea, f"etiqueta repetida en el mismo registro ({campo})", original)
        vistos.add(campo)
        self.abierto = (registro, campo, modo)
        origen = (tabla, clave, campo)
        self.origen[linea] = origen
        if modo == "lista":
            self.origen_abierto = ("actores", f"{registro['compromiso']}:{campo}", "nombre")
        else:
            self.origen_abierto = origen
        if valor:
            # Lo mismo que agregar(), más directo: el campo recién abierto aún no
            # está en el registro (fuera de su etiqueta solo se escriben los «*_precision»).
            if modo == "texto":
                registro[campo] = valor
            elif modo == "unico":
                registro[campo] = self.convertir(campo, valor, linea, original)
            else:
                self.agregar(linea, valor, original, anotar=False)

    def agregar(self, linea: int, texto: str, original: str, anotar: bool = True) -> None:
        """Añade una línea de texto al campo abierto."""
        registro, campo, modo = self.abierto
        if modo == "cabecera":
            self.cabecera.append((linea, texto))
            self.origen[linea] = self.origen_abierto
            return
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
        if modo == "unico":
            if campo in registro:
                raise self.error(linea, f"texto inesperado: el campo «{campo}» admite una sola línea", original)
            registro[campo] = self.convertir(campo, texto, linea, original)
        else:  # texto de varias líneas: se conservan todas, unidas por saltos de línea
            previo = registro.get(campo)
            registro[campo] = previo + "\n" + texto if previo else texto
        if anotar:
            self.origen[linea] = self.origen_abierto

    def convertir(self, campo: str, texto: str, linea: int, original: str) -> object:
        """Convierte el valor de un campo de una línea al leerlo, para que el error señale su línea."""
        try:
            if campo == "fecha_registro":
                return _fecha_registro(texto)
            if campo in ("porcentaje", "porcentaje_reportado"):
                return _porcentaje(texto, self.archivo, linea, original)
            if campo in ("fecha_inicio", "fecha_fin"):
                fecha = _fecha_hito(texto, campo.removeprefix("fecha_"))
                registro, _, _ = self.abierto
                registro[campo + "_precision"] = fecha.precision  # type: ignore[index]
                return fecha.fecha.isoformat()
        except ErrorFecha as exc:
            raise self.error(linea, str(exc), original) from None
        return texto

    # -- registros --------------------------------------------------------
    def cerrar_avance(self) -> None:
        if self.avance is not None:
            self.resultado.avances.append(self.avance)
            self.avance = None

    def cerrar_hito(self) -> None:
        self.cerrar_avance()
        if self.hito is not None:
            self.resultado.hitos.append(self.hito)
            self.hito = None

    def cerrar_compromiso(self) -> None:
        self.cerrar_hito()
        if self.compromiso is not None:
            self.resultado.compromisos.append(self.compromiso)
            self.compromiso = None

    # -- etiquetas ----------------------------------------------------------
    def etiqueta(self, nombre: str, valor: str, linea: int, original: str, numero: str | None) -> None:
        if nombre == "compromiso":
            self.cerrar_compromiso()
            n = int(numero)  # type: ignore[arg-type]
            if n in self.numeros_compromiso:
                raise self.error(linea, f"el compromiso {n} aparece dos veces", original)
            self.numeros_compromiso.add(n)
            self.compromiso = {"compromiso": n, "linea": linea}
            self.vistos_compromiso = set()
            self.hitos_del_compromiso = 0
            self.abierto = (self.compromiso, "titulo", "texto")
            self.origen_abierto = ("compromisos", str(n), "titulo")
            self.origen[linea] = self.origen_abierto
            if valor:
                self.agregar(linea, valor, original, anotar=False)
            return
        if self.compromiso is None:
            raise self.error(linea, "etiqueta antes del primer «COMPROMISO N:»", original)

        if nombre == "porcentaje_compromiso" and self.avance is not None:
            nombre = "porcentaje_avance"  # «Porcentaje de avance:» dentro de un avance es el del avance
        campo_modo = _CAMPOS_COMPROMISO.get(nombre)
        if campo_modo is not None:
            if self.hito is not None:
                raise self.error(linea, "etiqueta de compromiso dentro de un hito", original)
            self.abrir(self.compromiso, campo_modo[0], campo_modo[1], linea, valor, original)
            return

        if nombre == "institucion":
            self.cerrar_hito()
            self.hitos_del_compromiso += 1
            n = self.hitos_del_compromiso
            self.hito = {
                "hito_id": f"{self.compromiso['compromiso']}.{n}",
                "compromiso": self.compromiso["compromiso"],
                "numero": n,
                "linea": linea,
            }
            self.vistos_hito = set()
            self.avances_del_hito = 0
            self.abrir(self.hito, "institucion", "texto", linea, valor, original)
            return
        if self.hito is None:
            raise self.error(linea, "etiqueta de hito antes de «INSTITUCIÓN RESPONSABLE:»", original)

        if nombre == "fecha":
            if "avances" not in self.vistos_hito:
                raise self.error(linea, "«Fecha:» de un avance antes de la etiqueta «AVANCES»", original)
            self.cerrar_avance()
            self.avances_del_hito += 1
            self.avance = {
                "avance_id": f"{self.hito['hito_id']}.{self.avances_del_hito}",
                "hito_id": self.hito["hito_id"],
                "numero": self.avances_del_hito,
                "linea": linea,
            }
            self.vistos_avance = set()
            self.abrir(self.avance, "fecha_registro", "unico", linea, valor, original)
            return
        if self.avance is not None:
            campo_modo = _CAMPOS_AVANCE.get(nombre)
            if campo_modo is None:
                raise self.error(linea, "etiqueta de hito dentro de un avance", original)
            self.abrir(self.avance, campo_modo[0], campo_modo[1], linea, valor, original)
            return
        campo_modo = _CAMPOS_HITO.get(nombre)
        if campo_modo is None:
            raise self.error(linea, "etiqueta de avance fuera de un avance (falta «Fecha:»)", original)
        self.abrir(self.hito, campo_modo[0], campo_modo[1], linea, valor, original)

    # -- pasada principal -----------------------------------------------------
    def analizar(self, texto: str, sha256: str, codificacion: str) -> Tablero:
        self.resultado = Tablero(archivo=self.archivo, sha256=sha256, codificacion=codificacion)
        self.origen = origen = self.resultado.origen_lineas
        cabezas: dict = {}
        # Nombres locales: en el bucle de cientos de miles de líneas cada búsqueda cuenta.
        iniciales, largos, reconocer, procesar = _INICIALES, _LARGOS_PALABRAS, _reconocer, self.etiqueta
        for numero, cruda in enumerate(_partir_lineas(texto), start=1):
            linea = cruda.strip()
            if not linea:
                continue
            # Filtro previo de _reconocer (ver allí), sin el costo de llamarla.
            if linea[0] in iniciales and (":" in linea or len(linea) in largos):
                etiqueta = reconocer(linea, cabezas)
                if etiqueta is not None:
                    procesar(etiqueta[0], etiqueta[1], numero, cruda, etiqueta[2])
                    continue
            # La mayoría de las líneas de texto continúan un campo de varias líneas:
            # se resuelven aquí, sin la llamada a agregar (mismo efecto).
            registro, campo, modo = self.abierto
            if modo == "texto":
                previo = registro.get(campo)  # type: ignore[union-attr]
                registro[campo] = previo + "\n" + linea if previo else linea  # type: ignore[index]
                origen[numero] = self.origen_abierto
            else:
                self.agregar(numero, linea, cruda)
        self.cerrar_compromiso()
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
                    pendiente = (int(m.group("num")), linea)
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
        """Completa campos derivados (el estado interno de los registros vive en el analizador)."""
        r = self.resultado
        for h in r.hitos:
            # Un nombre de institución partido en dos líneas es un solo nombre.
            h["institucion"] = h.get("institucion", "").replace("\n", " ")
            if not h["institucion"]:
                raise self.error(h["linea"], "hito sin institución responsable", "INSTITUCIÓN RESPONSABLE:")
        for a in r.avances:
            if not a.get("fecha_registro"):
                raise self.error(a["linea"], "avance sin fecha de registro", "Fecha:")
            a["urls"] = _urls(a.get("descripcion", ""), a.get("medios_verificacion", ""))


def parsear_texto(texto: str, archivo: str = "<texto>", sha256: str = "", codificacion: str = "utf-8") -> Tablero:
    """Analiza el texto ya decodificado de un tablero."""
    # El análisis crea cientos de miles de objetos que no forman ciclos (las tuplas
    # de origen_lineas, sobre todo); el recolector de ciclos los recorrería una y
    # otra vez sin liberar nada. Se pausa durante el análisis y se restablece igual.
    recolector = gc.isenabled()
    gc.disable()
    try:
        return _Analizador(archivo).analizar(texto, sha256, codificacion)
    finally:
        if recolector:
            gc.enable()


def parsear_bytes(datos: bytes, archivo: str = "<bytes>") -> Tablero:
    """Analiza el contenido crudo de un archivo (detecta la codificación)."""
    texto, codificacion = decodificar(datos, archivo)
    return parsear_texto(texto, archivo, hashlib.sha256(datos).hexdigest(), codificacion)


def parsear_archivo(ruta: str | Path) -> Tablero:
    """Lee y analiza un archivo del tablero; los errores nombran ``archivo:línea``."""
    ruta = Path(ruta)
    try:
        datos = ruta.read_bytes()
    except FileNotFoundError:
        raise ErrorEntrada(ruta, None, "el archivo no existe") from None
    except IsADirectoryError:
        raise ErrorEntrada(ruta, None, "se esperaba un archivo y es una carpeta") from None
    return parsear_bytes(datos, str(ruta))
