"""Comprobación de los enlaces de evidencia de los avances: observaciones fechadas.

Un enlace publicado como evidencia puede dejar de funcionar; que funcione hoy
no dice que funcionara ayer. Por eso cada comprobación es una *observación*
fechada, como una captura del tablero: se guarda aparte, nunca se reescribe y
se acumula junto a las capturas crudas, en
``data/raw/<plan>/enlaces/<AAAA-MM-DD>.csv`` (una por consulta). Columnas:

``avance_id, url, estado, codigo_http, url_final, fecha_consulta``

``estado``
    ``ok`` (respuesta 2xx sin redirección), ``redirigido`` (2xx tras una o
    más redirecciones; ``url_final`` dice adónde), ``roto`` (el servidor
    responde 4xx o 5xx, demasiadas redirecciones o la dirección no es válida)
    o ``sin_respuesta`` (tiempo agotado, conexión rechazada, nombre que no
    resuelve, certificado TLS no válido, sin red). ``sin_respuesta`` no dice que el enlace esté roto:
    sin conexión es un caso normal y todo enlace queda así.
``codigo_http``
    el código de la respuesta final (tras seguir redirecciones); vacío sin respuesta.
``fecha_consulta``
    fecha y hora UTC de la respuesta, ISO 8601 (``2025-06-30T14:05:09Z``).

Cada dirección distinta se consulta una vez aunque aparezca en varios
avances, con varias consultas a la vez y un tiempo máximo de espera por
conexión y por lectura. Se pide primero ``HEAD`` (no descarga el documento);
si el servidor no lo admite (4xx o 5xx, p. ej. 405 o 501, o corta la
conexión) se repite con ``GET`` sin leer el cuerpo; si ``GET`` no llega a
responder, vale lo que respondió ``HEAD``. El agente de usuario
nombra a analisis y su versión, para que quien administra el sitio sepa quién
consulta.

Un enlace roto nunca hace fallar la comprobación: es un resultado más.

Los informes no leen esta carpeta: ``analisis parse`` de la carpeta del plan
copia todas sus observaciones en la tabla ``enlaces`` del paquete de datos
(:func:`observaciones_de_plan`), y cada informe toma de ahí la más reciente
hasta su corte (:mod:`analisis.evaluacion.enlaces`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas solo al usarlo: registrar la orden en la CLI no debe importarlo
    import pandas as pd

from .. import __version__
from ..errores import ErrorEntrada
from .fechas import ANIO_MAX, ANIO_MIN

COLUMNAS = ["avance_id", "url", "estado", "codigo_http", "url_final", "fecha_consulta"]
ESTADOS = ("ok", "redirigido", "roto", "sin_respuesta")
# Las cabeceras HTTP son ASCII: el texto va sin tildes.
AGENTE = f"analisis/{__version__} (evaluacion independiente de planes de Gobierno Abierto; comprobacion de enlaces de evidencia)"
# Carpeta de observaciones dentro de la de un plan (``data/raw/<plan>/enlaces/``).
CARPETA = "enlaces"
TIEMPO_MAX = 10.0
TRABAJOS = 8
_FECHA = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class Resultado:
    """Lo que respondió una dirección."""

    estado: str
    codigo_http: int | None
    url_final: str
    fecha_consulta: str


def _clave_avance(avance_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(avance_id).split("."))


def urls_de_avances(avances: pd.DataFrame) -> list[tuple[str, str]]:
    """(avance_id, url) de cada enlace de la columna ``urls``, en el orden de los avances y del texto."""
    pares = []
    for avance_id, urls in zip(avances["avance_id"], avances["urls"]):
        vistos = []
        for url in str(urls or "").split():
            if url not in vistos:
                vistos.append(url)
        pares += [(str(avance_id), u) for u in vistos]
    return sorted(pares, key=lambda par: _clave_avance(par[0]))


def _ahora() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clasificar(respuesta) -> tuple[str, int, str]:
    codigo = respuesta.status_code
    if codigo >= 400:
        return "roto", codigo, str(respuesta.url)
    return ("redirigido" if respuesta.history else "ok"), codigo, str(respuesta.url)


def comprobar_url(cliente, url: str) -> Resultado:
    """Consulta ``url`` con ``HEAD`` y, si no sirve, con ``GET``; nunca lanza por errores de red."""
    import httpx

    previo = None  # lo que respondió HEAD, si respondió algo
    try:
        respuesta = cliente.head(url)
        if respuesta.status_code < 400:
            return Resultado(*_clasificar(respuesta), _ahora())
        previo = Resultado(*_clasificar(respuesta), _ahora())
    except httpx.TimeoutException:
        return Resultado("sin_respuesta", None, "", _ahora())
    except httpx.ConnectError:
        return Resultado("sin_respuesta", None, "", _ahora())
    except httpx.TooManyRedirects:
        return Resultado("roto", None, "", _ahora())
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        return Resultado("roto", None, "", _ahora())
    except httpx.HTTPError:
        pass  # el servidor cortó o no entendió HEAD: se intenta con GET
    try:
        # stream: solo la cabecera de la respuesta; el documento no se descarga.
        with cliente.stream("GET", url) as respuesta:
            return Resultado(*_clasificar(respuesta), _ahora())
    except httpx.TooManyRedirects:
        return Resultado("roto", None, "", _ahora())
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        return Resultado("roto", None, "", _ahora())
    except httpx.HTTPError:
        # GET no llegó a responder: vale la respuesta de HEAD, si la hubo.
        return previo or Resultado("sin_respuesta", None, "", _ahora())


def comprobar_enlaces(
    pares: Iterable[tuple[str, str]],
    tiempo_max: float = TIEMPO_MAX,
    trabajos: int = TRABAJOS,
    progreso: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Comprueba cada dirección distinta una vez y devuelve una fila por (avance, url), con :data:`COLUMNAS`.

    ``progreso(hechas, total)`` se llama tras cada dirección consultada.
    """
    import pandas as pd

    import httpx

    pares = list(pares)
    unicas = list(dict.fromkeys(url for _, url in pares))
    resultados: dict[str, Resultado] = {}
    if unicas:
        limites = httpx.Limits(max_connections=trabajos, max_keepalive_connections=trabajos)
        with httpx.Client(
            headers={"User-Agent": AGENTE},
            timeout=httpx.Timeout(tiempo_max),
            follow_redirects=True,
            limits=limites,
        ) as cliente, ThreadPoolExecutor(max_workers=trabajos) as grupo:
            futuros = {grupo.submit(comprobar_url, cliente, url): url for url in unicas}
            for hechas, futuro in enumerate(as_completed(futuros), start=1):
                resultados[futuros[futuro]] = futuro.result()
                if progreso is not None:
                    progreso(hechas, len(unicas))
    filas = [
        {
            "avance_id": avance_id,
            "url": url,
            "estado": resultados[url].estado,
            "codigo_http": resultados[url].codigo_http,
            "url_final": resultados[url].url_final,
            "fecha_consulta": resultados[url].fecha_consulta,
        }
        for avance_id, url in pares
    ]
    return pd.DataFrame(filas, columns=COLUMNAS).astype({"codigo_http": "Int64"})


def observaciones_csv(tabla: pd.DataFrame) -> bytes:
    """Las observaciones como CSV UTF-8 con LF, en el orden de :data:`COLUMNAS`."""
    import pandas as pd

    buffer = io.StringIO()
    escritor = csv.writer(buffer, lineterminator="\n")
    escritor.writerow(COLUMNAS)
    for fila in tabla[COLUMNAS].itertuples(index=False):
        escritor.writerow(["" if pd.isna(v) else str(v) for v in fila])
    return buffer.getvalue().encode("utf-8")


def _filas_observacion(ruta: Path) -> list[dict]:
    """Las filas validadas de una observación, como textos, con la columna ``archivo``.

    Solo la biblioteca estándar: ``analisis parse`` las lee sin importar pandas.
    """
    try:
        texto = ruta.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ErrorEntrada(ruta, None, "el archivo no está en UTF-8") from None
    lector = csv.reader(io.StringIO(texto, newline=""))
    cabecera = next(lector, None)
    if cabecera != COLUMNAS:
        raise ErrorEntrada(ruta, 1, f"cabecera inesperada (se espera {','.join(COLUMNAS)})", ",".join(cabecera or []))
    filas = []
    for celdas in lector:
        linea = lector.line_num
        if len(celdas) != len(COLUMNAS):
            raise ErrorEntrada(ruta, linea, f"la fila tiene {len(celdas)} celdas y la cabecera {len(COLUMNAS)}")
        fila = dict(zip(COLUMNAS, celdas))
        if not fila["avance_id"].strip() or not fila["url"].strip():
            raise ErrorEntrada(ruta, linea, "columnas «avance_id» y «url»: no pueden estar vacías", ",".join(celdas))
        if fila["estado"] not in ESTADOS:
            raise ErrorEntrada(ruta, linea, f"columna «estado»: valor no admitido (admitidos: {', '.join(ESTADOS)})", fila["estado"])
        if fila["codigo_http"] and not re.fullmatch(r"[1-5][0-9]{2}", fila["codigo_http"]):
            raise ErrorEntrada(ruta, linea, "columna «codigo_http»: no es un código HTTP", fila["codigo_http"])
        if not _FECHA.fullmatch(fila["fecha_consulta"]) or not _fecha_valida(fila["fecha_consulta"]):
            raise ErrorEntrada(ruta, linea, "columna «fecha_consulta»: se espera AAAA-MM-DDTHH:MM:SSZ", fila["fecha_consulta"])
        fila["archivo"] = ruta.name
        filas.append(fila)
    return filas


def _fecha_valida(texto: str) -> bool:
    try:
        fecha = datetime.strptime(texto, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return ANIO_MIN <= fecha.year <= ANIO_MAX


def leer_observaciones(ruta: str | Path) -> pd.DataFrame:
    """Una observación escrita por ``analisis enlaces``, validada; añade la columna ``archivo``."""
    import pandas as pd

    tabla = pd.DataFrame(_filas_observacion(Path(ruta)), columns=[*COLUMNAS, "archivo"])
    tabla["codigo_http"] = pd.to_numeric(tabla["codigo_http"].replace("", None)).astype("Int64")
    return tabla


def archivos_de_observaciones(carpeta_plan: str | Path) -> list[Path]:
    """Los CSV de observaciones de un plan (``<plan>/enlaces/*.csv``), por nombre; ninguno si no hay carpeta."""
    carpeta = Path(carpeta_plan) / CARPETA
    if not carpeta.is_dir():
        return []
    return sorted(p for p in carpeta.iterdir() if p.suffix == ".csv" and p.is_file() and not p.name.startswith("."))


def observaciones_de_plan(carpeta_plan: str | Path) -> tuple[list[dict], list[dict]]:
    """Todas las observaciones de un plan y la procedencia de cada archivo.

    Devuelve ``(filas, archivos)``: ``filas`` son todas las filas de todos los
    CSV de ``<plan>/enlaces/`` (no solo la última de cada enlace: el informe de
    cada periodo elige la más reciente hasta *su* corte), ordenadas por avance
    (numérico), url, fecha de consulta y archivo, con ``fecha_consulta`` sin la
    «Z» (``2025-06-30T14:05:09``, UTC) como la escribe el paquete; ``archivos``
    da ``path`` (``enlaces/<nombre>``) y ``sha256`` de cada CSV. Sin carpeta
    ``enlaces/``, las dos listas están vacías: no haber comprobado nada es normal.
    """
    filas, archivos = [], []
    for ruta in archivos_de_observaciones(carpeta_plan):
        filas += _filas_observacion(ruta)
        archivos.append({"path": f"{CARPETA}/{ruta.name}", "sha256": hashlib.sha256(ruta.read_bytes()).hexdigest()})
    for fila in filas:
        fila["fecha_consulta"] = fila["fecha_consulta"].removesuffix("Z")
    filas.sort(key=lambda f: (_clave_avance(f["avance_id"]), f["url"], f["fecha_consulta"], f["archivo"]))
    return filas, archivos


def ultimas_observaciones(carpeta: str | Path) -> pd.DataFrame:
    """La observación más reciente de cada (avance, url) entre los CSV de ``carpeta``.

    ``carpeta`` es la de observaciones de un plan (``data/raw/<plan>/enlaces/``);
    si no existe, no hay observaciones (tabla vacía). A igual fecha gana el
    archivo de nombre mayor. Orden: avance (numérico) y url.
    """
    import pandas as pd

    carpeta = Path(carpeta)
    archivos = sorted(carpeta.glob("*.csv")) if carpeta.is_dir() else []
    tablas = [leer_observaciones(a) for a in archivos]
    if not tablas:
        return pd.DataFrame(columns=[*COLUMNAS, "archivo"]).astype({"codigo_http": "Int64"})
    todas = pd.concat(tablas, ignore_index=True)
    todas = todas.sort_values(["fecha_consulta", "archivo"], kind="mergesort")
    ultimas = todas.drop_duplicates(["avance_id", "url"], keep="last")
    orden = ultimas["avance_id"].map(_clave_avance)
    return ultimas.assign(_orden=orden).sort_values(["_orden", "url"], kind="mergesort").drop(columns="_orden").reset_index(drop=True)


def ultimas_por_avance(carpeta: str | Path) -> dict[str, list[dict]]:
    """Para cada avance con enlaces observados, la última observación de cada uno de sus enlaces.

    Es lo que un informe necesita para escribir «enlace comprobado el …: …»
    junto al avance: ``{"3.1.2": [{"url": ..., "estado": "ok", "codigo_http": 200,
    "url_final": ..., "fecha_consulta": "2025-06-30T14:05:09Z", "archivo": "2025-06-30.csv"}]}``.
    """
    import pandas as pd

    por_avance: dict[str, list[dict]] = {}
    for fila in ultimas_observaciones(carpeta).to_dict("records"):
        avance_id = fila.pop("avance_id")
        if pd.isna(fila["codigo_http"]):
            fila["codigo_http"] = None
        else:
            fila["codigo_http"] = int(fila["codigo_http"])
        por_avance.setdefault(avance_id, []).append(fila)
    return por_avance
