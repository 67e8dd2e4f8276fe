"""Glosario (analisis.lectura.glosario, datos/glosario.csv): cada código tiene etiqueta y definición."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analisis.evaluacion import alertas, metricas
from analisis.evaluacion.criterios import CRITERIOS, nombre_criterio
from analisis.lectura import tablero
from analisis.lectura.glosario import CATEGORIAS, etiqueta, etiquetas, terminos


def _constantes(prefijo: str) -> set[str]:
    return {v for k, v in vars(metricas).items() if k.startswith(prefijo) and isinstance(v, str)}


def _tipos_de_alerta() -> set[str]:
    # Los tipos documentados en la cabecera del módulo (``tipo``) y los que emite el código ("tipo",).
    fuente = Path(alertas.__file__).read_text(encoding="utf-8")
    return set(re.findall(r'_alerta\(\s*"([a-z_]+)"', fuente)) | set(re.findall(r"^``([a-z_]+)``$", alertas.__doc__, re.M))


@pytest.mark.parametrize(
    ("categoria", "claves"),
    [
        ("estado", _constantes("ESTADO_")),
        ("nivel", _constantes("NIVEL_")),
        ("serie", _constantes("TIPO_")),
        ("criterio", set(CRITERIOS)),
        ("alerta", _tipos_de_alerta()),
        ("medios", {tablero.MEDIOS_CON_TEXTO, tablero.MEDIOS_VACIO, tablero.MEDIOS_SIN_ETIQUETA}),
    ],
    ids=["estados", "niveles", "series", "criterios", "alertas", "medios-de-verificacion"],
)
def test_cada_codigo_tiene_etiqueta_y_definicion(categoria, claves):
    assert claves, categoria
    definidas = {t.clave: t for t in terminos() if t.categoria == categoria}
    assert claves <= set(definidas)
    for clave in claves:
        assert definidas[clave].etiqueta and definidas[clave].definicion.endswith(".")


def test_etiquetas_de_alerta_sin_codigos():
    assert all("_" not in e and e[0].isupper() for e in etiquetas("alerta").values())


def test_solo_categorias_conocidas_y_sin_repetir():
    vistas = [(t.categoria, t.clave) for t in terminos()]
    assert len(vistas) == len(set(vistas))
    assert {c for c, _ in vistas} == set(CATEGORIAS)


@pytest.mark.parametrize(("criterio", "nombre"), [("ultimo", "último"), ("maximo", "máximo"), ("suma", "suma")])
def test_criterio_con_tildes_al_mostrarlo(criterio, nombre):
    assert nombre_criterio(criterio) == nombre


def test_codigo_sin_etiqueta_se_muestra_tal_cual():
    assert etiqueta("alerta", "tipo_nuevo") == "tipo_nuevo"


def test_estados_de_medios_del_esquema_son_los_del_glosario():
    from analisis.lectura.paquete import esquemas

    campo = next(c for c in esquemas()["avances"]["fields"] if c["name"] == "medios_verificacion_estado")
    assert campo["constraints"]["enum"] == list(etiquetas("medios"))
