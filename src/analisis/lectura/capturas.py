"""Capturas del tablero: archivos crudos fechados, que solo se añaden, nunca se reescriben.

Un tablero es una página viva: se le agregan avances tarde, se editan, se
borran. Cada vez que alguien copia su texto obtiene una *captura*. Las de un
plan viven juntas en ``data/raw/<plan>/`` y cada una tiene al lado su ficha de
procedencia ``<archivo>.procedencia.json``::

    {
      "fuente": "https://…",                         URL de donde se copió (o null)
      "fecha_captura": "2025-06-01T10:00:00-06:00",  ISO 8601 con zona horaria (o null)
      "fecha_captura_minima": "2025-05-22T17:33:50", solo si fecha_captura es null
      "sha256": "…"                                  opcional; si está, debe coincidir
    }

Una fecha desconocida se dice con ``"fecha_captura": null``; si se sabe que la
captura es posterior a cierto momento (p. ej. la fecha de registro más reciente
que contiene), ese momento va en ``fecha_captura_minima``. La huella SHA-256 se
calcula siempre de los bytes; la de la ficha solo se comprueba.

Las fechas se comparan con las del tablero (fecha de registro de un avance,
fecha de corte) en la hora de reloj de su propia zona: el tablero guarda sus
fechas sin zona, en hora local.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errores import ErrorEntrada
from .rutas import leer_bytes

SUFIJO_PROCEDENCIA = ".procedencia.json"


@dataclass(frozen=True)
class Captura:
    """Una captura: el archivo crudo, su huella y lo que se sabe de cuándo y de dónde se tomó."""

    archivo: Path
    sha256: str
    fuente: str | None = None
    fecha: datetime | None = None  # con zona; None si se desconoce
    fecha_minima: datetime | None = None  # solo con fecha desconocida: la captura es posterior

    @property
    def reloj(self) -> datetime | None:
        """Fecha y hora de reloj (sin zona), comparable con las fechas de registro del tablero."""
        return self.fecha.replace(tzinfo=None) if self.fecha is not None else None

    @property
    def reloj_minimo(self) -> datetime | None:
        """El momento más temprano en que pudo tomarse: su fecha, o su fecha mínima, o nada."""
        if self.fecha is not None:
            return self.reloj
        return self.fecha_minima.replace(tzinfo=None) if self.fecha_minima is not None else None

    def tomada_hasta(self, corte: date) -> bool | None:
        """Si se tomó a más tardar el día ``corte``: True, False o None (no se sabe)."""
        if self.fecha is not None:
            return self.reloj.date() <= corte
        if self.reloj_minimo is not None and self.reloj_minimo.date() > corte:
            return False
        return None

    def fecha_texto(self) -> str:
        """La fecha tal como se muestra: ISO con zona, o «desconocida (posterior a …)»."""
        if self.fecha is not None:
            return self.fecha.isoformat()
        if self.fecha_minima is not None:
            return f"desconocida (posterior a {self.fecha_minima.isoformat(sep=' ')})"
        return "desconocida"


def ruta_procedencia(archivo: Path) -> Path:
    return archivo.with_name(archivo.name + SUFIJO_PROCEDENCIA)


def es_captura(ruta: Path) -> bool:
    """Un archivo de una carpeta de plan que es captura (no ficha, no oculto)."""
    return ruta.is_file() and not ruta.name.startswith(".") and not ruta.name.endswith(SUFIJO_PROCEDENCIA)


def parsear_fecha_captura(texto: str, archivo: str | Path, campo: str = "fecha_captura", zona: bool = True) -> datetime:
    """ISO 8601 con fecha y hora; con zona horaria obligatoria si ``zona``."""
    try:
        fecha = datetime.fromisoformat(str(texto))
    except ValueError:
        raise ErrorEntrada(archivo, None, f"{campo} no es una fecha y hora ISO 8601 (AAAA-MM-DDTHH:MM:SS±HH:MM)", str(texto)) from None
    if not re.search(r"\d[T ]\d", str(texto)):
        raise ErrorEntrada(archivo, None, f"{campo} debe llevar la hora, no solo el día", str(texto))
    if zona and fecha.tzinfo is None:
        raise ErrorEntrada(archivo, None, f"{campo} debe llevar la zona horaria (p. ej. -06:00)", str(texto))
    return fecha


def leer_procedencia(archivo: Path) -> dict | None:
    """La ficha de procedencia de ``archivo`` como diccionario, o None si no tiene."""
    ficha = ruta_procedencia(archivo)
    if not ficha.is_file():
        return None
    try:
        datos = json.loads(ficha.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ErrorEntrada(ficha, None, "la ficha de procedencia no es JSON válido", str(exc)) from None
    if not isinstance(datos, dict):
        raise ErrorEntrada(ficha, None, "la ficha de procedencia debe ser un objeto JSON")
    return datos


def leer_captura(
    archivo: str | Path, exigir_procedencia: bool = False, datos: bytes | None = None, sha256: str | None = None
) -> Captura:
    """La captura de ``archivo`` con su ficha; sin ficha, fecha desconocida (o error si se exige).

    ``datos`` (los bytes ya leídos) y ``sha256`` (su huella ya calculada)
    evitan releer o volver a calcular lo que quien llama ya tiene.
    """
    archivo = Path(archivo)
    if sha256 is None:
        if datos is None:
            datos = leer_bytes(archivo)
        sha256 = hashlib.sha256(datos).hexdigest()
    captura = leer_ficha(archivo, exigir_procedencia)
    registrado = _sha256_registrado(archivo)
    if registrado is not None and registrado != sha256:
        raise ErrorEntrada(
            ruta_procedencia(archivo), None, f"el sha256 de la ficha no coincide con el del archivo ({sha256})", registrado
        )
    return Captura(captura.archivo, sha256, captura.fuente, captura.fecha, captura.fecha_minima)


def _sha256_registrado(archivo: Path) -> str | None:
    ficha = leer_procedencia(archivo)
    if ficha is None or ficha.get("sha256") is None:
        return None
    return str(ficha["sha256"]).lower()


def leer_ficha(archivo: str | Path, exigir_procedencia: bool = False) -> Captura:
    """Lo que dice la ficha de ``archivo`` (sin leer el archivo: ``sha256`` queda vacío)."""
    archivo = Path(archivo)
    ficha = leer_procedencia(archivo)
    if ficha is None:
        if exigir_procedencia:
            raise ErrorEntrada(
                archivo, None,
                f"falta la ficha de procedencia {ruta_procedencia(archivo).name} (con varias capturas cada una "
                "necesita su fecha; añádala con «analisis capturar»)",
            )
        return Captura(archivo=archivo, sha256="")
    ruta_ficha = ruta_procedencia(archivo)
    if "fecha_captura" not in ficha:
        raise ErrorEntrada(ruta_ficha, None, "falta «fecha_captura» (use null si se desconoce)")
    fecha = minima = None
    if ficha["fecha_captura"] is not None:
        fecha = parsear_fecha_captura(ficha["fecha_captura"], ruta_ficha)
    elif ficha.get("fecha_captura_minima") is not None:
        minima = parsear_fecha_captura(ficha["fecha_captura_minima"], ruta_ficha, "fecha_captura_minima", zona=False)
    elif exigir_procedencia:
        raise ErrorEntrada(
            ruta_ficha, None,
            "fecha de captura desconocida sin «fecha_captura_minima»: no se puede ordenar entre otras capturas",
        )
    fuente = ficha.get("fuente")
    return Captura(archivo=archivo, sha256="", fuente=str(fuente) if fuente else None, fecha=fecha, fecha_minima=minima)


def archivos_de(entradas: list[str | Path]) -> tuple[list[Path], bool]:
    """Los archivos de captura de las entradas y si forman una serie (carpeta o varios archivos).

    Una carpeta es la de un plan: todas sus capturas, en cualquier orden de nombre.
    """
    archivos: list[Path] = []
    serie = len(entradas) > 1
    for entrada in map(Path, entradas):
        if entrada.is_dir():
            serie = True
            encontrados = sorted(p for p in entrada.iterdir() if es_captura(p))
            if not encontrados:
                raise ErrorEntrada(entrada, None, "la carpeta no contiene capturas")
            archivos += encontrados
        else:
            archivos.append(entrada)
    return archivos, serie


def ordenar(capturas: list[Captura]) -> list[Captura]:
    """La más antigua primero.

    Una captura de fecha desconocida se ubica en su fecha mínima (es lo único
    que se sabe); a igual momento decide el nombre del archivo, para que el
    orden no dependa del sistema de archivos.
    """
    return sorted(capturas, key=lambda c: (c.reloj_minimo or datetime.min, c.archivo.name, str(c.archivo)))


def nombre_captura(fecha: datetime) -> str:
    """Nombre del archivo de una captura nueva: su fecha, sin «:» (no válido en todos los sistemas)."""
    return "captura_" + fecha.isoformat().replace(":", "") + ".txt"
