"""Parámetros de los cuadernos del informe: leerlos de la celda ``parameters`` y validarlos antes de ejecutar.

papermill solo avisa de un parámetro desconocido y adivina tipos; aquí un
nombre o un tipo equivocados son un error claro antes de arrancar ningún núcleo.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from ..errores import ErrorParametro
from ..lectura.rutas import carpeta_cuadernos

TIPOS = {"str": str, "int": int, "float": float, "bool": bool}


# -- parámetros --------------------------------------------------------------------


@dataclass(frozen=True)
class Parametro:
    nombre: str
    tipo: type
    defecto: object
    comentario: str


def leer_parametros(cuaderno: Path) -> dict[str, Parametro]:
    """Parámetros declarados en la celda etiquetada ``parameters`` de un cuaderno.

    Cada parámetro debe ser una asignación anotada con un literal
    (``periodo: str = "2025-T2"  # comentario``), que es lo que papermill
    sustituye y lo que permite validar tipos antes de ejecutar nada.
    """
    nb = json.loads(Path(cuaderno).read_text(encoding="utf-8"))
    celdas = [
        c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(celdas) != 1:
        raise ErrorParametro(f"{cuaderno}: debe tener exactamente una celda etiquetada «parameters»")
    fuente = "".join(celdas[0]["source"])
    lineas = fuente.splitlines()
    parametros: dict[str, Parametro] = {}
    for nodo in ast.parse(fuente).body:
        if not (isinstance(nodo, ast.AnnAssign) and isinstance(nodo.target, ast.Name)):
            raise ErrorParametro(
                f"{cuaderno}: la celda de parámetros solo admite asignaciones anotadas (línea {nodo.lineno})"
            )
        anotacion = ast.unparse(nodo.annotation)
        if anotacion not in TIPOS or nodo.value is None:
            raise ErrorParametro(f"{cuaderno}: parámetro «{nodo.target.id}» con tipo no admitido: {anotacion}")
        linea = lineas[nodo.lineno - 1]
        comentario = linea.split("#", 1)[1].strip() if "#" in linea else ""
        parametros[nodo.target.id] = Parametro(
            nodo.target.id, TIPOS[anotacion], ast.literal_eval(nodo.value), comentario
        )
    return parametros


def cuadernos_plantilla(carpeta: Path | None = None) -> list[Path]:
    """Los cuadernos del informe, en el orden de sus prefijos numéricos (``NN_tema.ipynb``)."""
    carpeta = carpeta or carpeta_cuadernos()
    cuadernos = sorted(p for p in Path(carpeta).glob("[0-9][0-9]_*.ipynb"))
    if not cuadernos:
        raise ErrorParametro(f"no hay cuadernos NN_tema.ipynb en {carpeta}")
    return cuadernos


def orden_de_ejecucion(cuadernos: list[Path]) -> list[Path]:
    """Los cuadernos en el orden en que se mandan a los núcleos: primero los marcados ``ejecutar_primero``.

    La marca va en los metadatos del cuaderno (``"analisis": {"ejecutar_primero": true}``).
    La sección de cada cuaderno se maqueta para el PDF en cuanto llega, mientras
    los núcleos ejecutan los demás; lo que no se puede adelantar es la del
    último en llegar. Las fichas son la sección más larga (crece con los
    compromisos: 16 páginas del plan incluido, cientos en un plan grande): si
    llegan primero, al final solo queda maquetar una sección corta. El orden de
    las páginas y del PDF sigue siendo el de los prefijos ``NN_``.
    """
    primeros, demas = [], []
    for cuaderno in cuadernos:
        marca = json.loads(Path(cuaderno).read_text(encoding="utf-8")).get("metadata", {}).get("analisis", {})
        primero = marca.get("ejecutar_primero", False) if isinstance(marca, dict) else None
        if not isinstance(primero, bool):
            raise ErrorParametro(
                f"{cuaderno}: metadatos «analisis» no válidos: se espera {{\"ejecutar_primero\": true o false}}, no «{marca}»"
            )
        (primeros if primero else demas).append(cuaderno)
    return primeros + demas


def validar_parametros(parametros: dict, cuadernos: list[Path]) -> dict:
    """Comprueba nombres, tipos y valores antes de ejecutar (papermill solo avisaría).

    Devuelve los parámetros completos (con los valores por defecto del
    cuaderno para los que no se dieron) y normalizados.
    """
    declarados = leer_parametros(cuadernos[0])
    for cuaderno in cuadernos[1:]:
        otros = leer_parametros(cuaderno)
        if set(otros) != set(declarados):
            raise ErrorParametro(
                f"{cuaderno.name}: sus parámetros ({', '.join(otros)}) difieren de los de "
                f"{cuadernos[0].name} ({', '.join(declarados)})"
            )
    desconocidos = sorted(set(parametros) - set(declarados))
    if desconocidos:
        raise ErrorParametro(
            f"parámetro desconocido: {', '.join(desconocidos)} (válidos: {', '.join(declarados)})"
        )
    completos = {n: p.defecto for n, p in declarados.items()}
    for nombre, valor in parametros.items():
        tipo = declarados[nombre].tipo
        if not isinstance(valor, tipo) or (tipo is int and isinstance(valor, bool)):
            raise ErrorParametro(
                f"el parámetro {nombre} debe ser {tipo.__name__}, no {type(valor).__name__} ({valor!r})"
            )
        completos[nombre] = valor
    # Periodo, corte y criterio se interpretan una sola vez, con las reglas de
    # Evaluacion; al cuaderno llegan normalizados.
    from ..evaluacion.evaluacion import Evaluacion

    ev = Evaluacion.desde_textos(
        str(completos["periodo"]), str(completos.get("corte") or "") or None, str(completos.get("criterio") or "") or None
    )
    completos["periodo"] = ev.periodo.etiqueta
    if "criterio" in completos:
        completos["criterio"] = ev.criterio
    return completos
