"""Rendimiento del analizador del tablero frente a ``pandas.read_csv``.

No es una prueba: genera un scrape sintético grande (40 MB por omisión, miles
de compromisos), lo analiza con ``parsear_archivo``, escribe el paquete con
``escribir_paquete`` y lee todas las tablas CSV resultantes con
``pandas.read_csv``. Imprime el mejor tiempo de N repeticiones de cada paso y
la razón análisis / read_csv (objetivo del proyecto: no más de 2×).

El scrape se arma recombinando frases, instituciones y organizaciones del
scrape real (``data/raw/gt-6pan-2023-2025/tableropan_gt_6pan_2023-2025.txt``) con un generador
de números aleatorios con semilla fija, de modo que dos ejecuciones miden
exactamente el mismo texto. Se reproducen los rasgos del tablero que cambian
el trabajo del analizador: textos de varias líneas, fechas de hito opcionales
en todos los formatos admitidos, porcentajes como «12.5%» o «41,7 %», medios
de verificación con enlaces y listas de actores con «;».

Uso::

    .venv/bin/python benchmarks/bench_parse.py [--mb 40] [--repeticiones 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analisis.lectura.paquete import TABLAS, escribir_paquete
from analisis.lectura.tablero import parsear_archivo

RAIZ = Path(__file__).resolve().parents[1]
SCRAPE_REAL = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
SEMILLA = 20250305

# Respaldo por si el scrape real no está en la copia de trabajo: el generador
# sigue funcionando, con menos variedad de texto.
_FRASES_RESPALDO = [
    "La Comisión Presidencial de Gobierno Abierto y Electrónico llevó a cabo el proceso de territorialización de la iniciativa de gobierno abierto.",
    "Reunión con Unidades de Información Pública y organizaciones de sociedad civil para dar a conocer el hito.",
    "Se fortalecen las capacidades institucionales en la gestión y publicación de datos abiertos.",
    "Las instituciones del Organismo Ejecutivo cuentan con conjuntos de datos abiertos propuestos por OSC.",
    "Socialización de resultados por medio de redes sociales, oficios y correos ante responsables de las Unidades de Información Pública.",
]
_INSTITUCIONES_RESPALDO = [
    "Comisión de Gobierno Abierto y Electrónico",
    "Comisión Nacional contra la Corrupción",
    "Secretaría de Seguridad Alimentaria y Nutricional de la Presidencia",
    "Ministerio de Salud Pública y Asistencia Social",
]
_ACTORES_RESPALDO = ["Funprosperiti", "CIIDH", "CODEFEM", "GGM", "Red ciudadana", "Lambda", "Acción ciudadana", "ICEFI"]

_MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
_DOMINIOS = ["https://www.gobiernoabierto.gob.gt", "https://mspasgt-my.sharepoint.com/:v:/g/personal", "https://www.facebook.com/share/v", "http://datos.gob.gt/dataset"]


@dataclass
class Material:
    """Piezas de texto de las que se arma el scrape."""

    frases: list[str]
    instituciones: list[str]
    actores: list[str]


def _material() -> Material:
    """Frases, instituciones y organizaciones tomadas del scrape real (o del respaldo)."""
    if not SCRAPE_REAL.is_file():
        return Material(_FRASES_RESPALDO, _INSTITUCIONES_RESPALDO, _ACTORES_RESPALDO)
    t = parsear_archivo(SCRAPE_REAL)
    textos = [c.get(k, "") for c in t.compromisos for k in ("titulo", "descripcion")]
    textos += [h.get(k, "") for h in t.hitos for k in ("descripcion", "resultados_esperados")]
    textos += [a.get("descripcion", "") for a in t.avances]
    frases: set[str] = set()
    for texto in textos:
        for linea in texto.split("\n"):
            # Frases sueltas, para recombinarlas en párrafos nuevos; los enlaces se
            # añaden aparte, así que aquí se quitan.
            for frase in re.split(r"(?<=[.;!?])\s+", re.sub(r"https?://\S+", "", linea)):
                frase = frase.strip()
                # Una frase que empieza con «Fecha:» o es «AVANCES» sería una
                # etiqueta al quedar al principio de una línea.
                if len(frase) > 20 and ":" not in frase[:30]:
                    frases.add(frase)
    instituciones = {h["institucion"] for h in t.hitos} | {a["nombre"] for a in t.actores if a["sector"] == "GOBIERNO"}
    actores = {a["nombre"] for a in t.actores if a["sector"] != "GOBIERNO"}
    return Material(sorted(frases), sorted(instituciones), sorted(actores))


class Generador:
    """Escribe un scrape sintético con semilla fija y cuenta los registros que contiene."""

    def __init__(self, material: Material, semilla: int = SEMILLA):
        self.m = material
        self.r = random.Random(semilla)
        self.compromisos = self.hitos = self.avances = self.actores = 0

    def parrafo(self, minimo: int = 1, maximo: int = 3) -> str:
        return " ".join(self.r.choice(self.m.frases) for _ in range(self.r.randint(minimo, maximo)))

    def texto(self, maximo_lineas: int) -> list[str]:
        return [self.parrafo() for _ in range(self.r.randint(1, maximo_lineas))]

    def url(self) -> str:
        sufijo = "".join(self.r.choice("abcdefghijkLMNOPQ0123456789_-") for _ in range(self.r.randint(10, 120)))
        return f"{self.r.choice(_DOMINIOS)}/{sufijo}"

    def fecha_hito(self) -> str:
        r = self.r
        anio, mes, dia = r.randint(2022, 2026), r.randint(1, 12), r.randint(1, 28)
        formato = r.randrange(6)
        if formato == 0:
            return f"{dia:02d}/{mes:02d}/{anio}"
        if formato == 1:
            return f"{dia}/{mes}/{anio}"
        if formato == 2:
            return f"{_MESES[mes - 1].capitalize()} {anio}"
        if formato == 3:
            return f"{dia} de {_MESES[mes - 1]} de {anio}"
        if formato == 4:
            return f"{_MESES[mes - 1].upper()} DE {anio}"
        return str(anio)

    def porcentaje(self) -> str:
        r = self.r
        entero = r.randint(0, 100)
        forma = r.randrange(5)
        if forma == 0 and entero < 100:
            return f"{entero}.{r.randint(0, 99):02d}%"
        if forma == 1 and entero < 100:
            return f"{entero},{r.randint(0, 9)} %"
        if forma == 2 and entero < 100:
            return f"{entero}.{r.randint(1, 9)}%"
        return f"{entero}%"

    def compromiso(self, numero: int) -> list[str]:
        r, m = self.r, self.m
        self.compromisos += 1
        lineas = [f"COMPROMISO {numero}:", *self.texto(2), "Responsables de implementación:"]
        lineas += r.sample(m.instituciones, r.randint(1, min(3, len(m.instituciones))))
        lineas += ["DESCRIPCIÓN DEL COMPROMISO:", *self.texto(3)]
        if r.random() < 0.9:
            entero = r.randint(0, 100)
            lineas += ["PORCENTAJE DE AVANCE:", f"{entero}.{0 if entero == 100 else r.randint(0, 99):02d}%"]
        for sector, poblacion in (("GOBIERNO", m.instituciones), ("OSC", m.actores), ("OTROS", m.actores)):
            if sector == "OTROS" and r.random() < 0.5:
                continue
            lineas.append(sector)
            for _ in range(r.randint(1, 8)):
                if r.random() < 0.15:  # «A; B» en una línea son dos organizaciones
                    lineas.append("; ".join(r.sample(poblacion, 2)))
                    self.actores += 2
                else:
                    lineas.append(r.choice(poblacion))
                    self.actores += 1
        for _ in range(r.randint(1, 5)):
            lineas += self.hito()
        return lineas

    def hito(self) -> list[str]:
        r = self.r
        self.hitos += 1
        lineas = ["INSTITUCIÓN RESPONSABLE:", r.choice(self.m.instituciones)]
        if r.random() < 0.7:
            lineas.append(f"FECHA DE INICIO: {self.fecha_hito()}")
        if r.random() < 0.7:
            lineas.append(f"FECHA DE FIN: {self.fecha_hito()}")
        lineas += ["DESCRIPCIÓN:", *self.texto(2), "RESULTADOS ESPERADOS:", *self.texto(4), "AVANCES"]
        for _ in range(r.choice((0, 0, 1, 2, 3, 4, 6, 8))):
            lineas += self.avance()
        return lineas

    def avance(self) -> list[str]:
        r = self.r
        self.avances += 1
        hora = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
        if r.random() < 0.9:
            fecha = f"{r.randint(2023, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {hora}"
        else:
            fecha = f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2023, 2025)}"
        descripcion = self.texto(3)
        if r.random() < 0.25:
            descripcion[-1] += " " + self.url()
        lineas = [f"Fecha: {fecha}", f"Descripción: {descripcion[0]}", *descripcion[1:]]
        if r.random() < 0.9:
            lineas.append(f"Porcentaje avance: {self.porcentaje()}")
        if r.random() < 0.7:
            lineas.append("Medios de verificación:")
            lineas += [self.url() for _ in range(r.choice((0, 0, 1, 2)))]
        return lineas

    def escribir(self, ruta: Path, bytes_minimos: int) -> None:
        r = self.r
        cabecera = [str(r.randint(1, 99)), f"HITOS NO INICIADOS{r.randint(0, 999)}", f"HITOS INICIADOS{r.randint(0, 999)}", "HITOS COMPLETADOS"]
        escritos = 0
        numero = 0
        with ruta.open("w", encoding="utf-8", newline="\n") as f:
            bloque = "\n".join(cabecera) + "\n"
            while True:
                f.write(bloque)
                escritos += len(bloque.encode("utf-8"))
                if escritos >= bytes_minimos:
                    break
                numero += 1
                bloque = "\n".join(self.compromiso(numero)) + "\n"


@dataclass
class Tiempo:
    """Mejor tiempo de pared y de CPU de un paso entre todas las repeticiones."""

    pared: float = float("inf")
    cpu: float = float("inf")

    def medir(self, funcion):
        gc.collect()  # que la basura de la repetición anterior no se cobre en esta
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        resultado = funcion()
        self.pared = min(self.pared, time.perf_counter() - inicio)
        self.cpu = min(self.cpu, time.process_time() - inicio_cpu)
        return resultado


def _leer_csv(carpeta: Path) -> list[pd.DataFrame]:
    return [pd.read_csv(carpeta / f"{nombre}.csv") for nombre in TABLAS]


def _miles(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # espacio fino como separador de miles, según la norma del español


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=40.0, help="tamaño mínimo del scrape sintético en MB (por omisión 40)")
    p.add_argument("--repeticiones", type=int, default=3, help="se informa el mejor de N tiempos (por omisión 3)")
    args = p.parse_args(argv)
    mega = 1_000_000

    with tempfile.TemporaryDirectory(prefix="bench-tablero-") as temporal:
        temporal = Path(temporal)
        ruta = temporal / "tablero_sintetico.txt"
        inicio = time.perf_counter()
        generador = Generador(_material())
        generador.escribir(ruta, int(args.mb * mega))
        generacion = time.perf_counter() - inicio
        tamano = ruta.stat().st_size
        with ruta.open("rb") as f:
            lineas = sum(1 for _ in f)

        # Cada repetición mide los tres pasos seguidos, así una racha de carga de
        # la máquina afecta a todos por igual y la razón entre ellos es justa.
        t_parse, t_escritura, t_csv = Tiempo(), Tiempo(), Tiempo()
        salida = temporal / "paquete"
        for _ in range(args.repeticiones):
            tablero = None  # que el resultado anterior no ocupe memoria durante la medición
            tablero = t_parse.medir(lambda: parsear_archivo(ruta))
            t_escritura.medir(lambda: escribir_paquete(tablero, salida))
            t_csv.medir(lambda: _leer_csv(salida))
        esperado = (generador.compromisos, generador.hitos, generador.avances, generador.actores)
        obtenido = tuple(len(getattr(tablero, n)) for n in ("compromisos", "hitos", "avances", "actores"))
        if obtenido != esperado:
            print(f"el scrape sintético no se leyó como se generó: {obtenido} != {esperado}", file=sys.stderr)
            return 1
        tamano_csv = sum((salida / f"{n}.csv").stat().st_size for n in TABLAS)

    registros = sum(obtenido) + 1  # la fila de contadores de la tabla «tablero»
    print(f"Scrape sintético (semilla {SEMILLA}, generado en {generacion:.1f} s)")
    print(f"  tamaño:     {tamano / mega:8.1f} MB, {_miles(lineas)} líneas")
    print(
        f"  registros:  {_miles(registros)} ({_miles(generador.compromisos)} compromisos, {_miles(generador.hitos)} hitos, "
        f"{_miles(generador.avances)} avances, {_miles(generador.actores)} actores)"
    )
    print(f"  tablas CSV: {tamano_csv / mega:8.1f} MB")
    print(f"Mejor de {args.repeticiones} repeticiones (pared; CPU del proceso entre paréntesis):")
    suma = Tiempo(t_parse.pared + t_escritura.pared, t_parse.cpu + t_escritura.cpu)
    filas = [
        ("parsear_archivo", t_parse, tamano),
        ("escribir_paquete", t_escritura, tamano),
        ("parsear + escribir", suma, tamano),
        (f"pandas.read_csv ({len(TABLAS)} tablas)", t_csv, tamano_csv),
    ]
    for nombre, t, n_bytes in filas:
        print(f"  {nombre:<28}{t.pared:7.3f} s ({t.cpu:6.3f} s)  {n_bytes / mega / t.pared:6.1f} MB/s")
    razon = t_parse.pared / t_csv.pared
    cumplido = "cumplido" if razon <= 2 else "no cumplido"
    print(f"Razón parsear / read_csv:            {razon:5.2f}× (CPU {t_parse.cpu / t_csv.cpu:4.2f}×; objetivo ≤ 2×: {cumplido})")
    print(f"Razón parsear + escribir / read_csv: {suma.pared / t_csv.pared:5.2f}× (CPU {suma.cpu / t_csv.cpu:4.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
