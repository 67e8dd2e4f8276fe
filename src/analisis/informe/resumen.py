"""Síntesis para los cuadernos: cifras clave, conciliación con el tablero y cambios entre periodos.

Funciones puras sobre un :class:`analisis.contexto.Contexto`; los cuadernos
solo las llaman y muestran lo que devuelven.
"""

from __future__ import annotations

import pandas as pd

from .contexto import Contexto
from .texto import cantidad, porcentaje, porcentaje_publicado
from ..evaluacion.alertas import comparar_contadores
from ..evaluacion.metricas import tiene_evidencia
from ..lectura.glosario import etiquetas
from ..lectura.tablero import MEDIOS_CON_TEXTO
from ..evaluacion.periodos import mascara_en_periodo
from ..evaluacion.criterios import nombre_criterio
from ..evaluacion.reportado import NO_OBSERVADO

COLUMNAS_CAMBIOS = ["hito_id", "compromiso", "institucion", "cambio", "antes", "ahora"]


def _pct(valor: float) -> str:
    return porcentaje(None if pd.isna(valor) else valor)


def cifras_clave(ctx: Contexto) -> dict[str, str]:
    """Las cifras de la portada del resumen: tamaño del plan y situación al corte."""
    mh = ctx.metricas["metricas_hitos"]
    mc = ctx.metricas["metricas_compromisos"]
    return {
        "Compromisos": str(len(mc)),
        "Hitos": str(len(mh)),
        "Avances registrados al corte": str(int(mh["avances"].sum())),
        "Avances registrados en el periodo": str(int(mh["avances_periodo"].sum())),
        "Hitos completados": str(int((mh["estado"] == "completado").sum())),
        "Hitos vencidos": str(int(mh["vencido"].sum())),
        "Avance recalculado (media de compromisos)": _pct(mc["avance_calculado"].mean()),
        "Avance reportado (media de compromisos)": (
            NO_OBSERVADO if mc["porcentaje_reportado"].isna().all() else _pct(mc["porcentaje_reportado"].mean())
        ),
    }


def _ultima_captura(tablero: pd.DataFrame) -> pd.DataFrame:
    """Los contadores de la captura más reciente: describen la misma captura que las tablas de hitos y avances."""
    if "captura" not in tablero.columns or tablero.empty:
        return tablero
    return tablero[tablero["captura"] == tablero["captura"].max()]


def conciliacion_contadores(ctx: Contexto) -> pd.DataFrame:
    """Cada contador de la cabecera del tablero frente a su equivalente en los datos.

    Los contadores se anidan (no iniciados + iniciados = hitos; los completados
    son parte de los iniciados) y describen la captura entera, así que se
    comparan con todos los avances capturados y no con el corte del informe
    (ver :func:`analisis.evaluacion.alertas.comparar_contadores`).
    """
    filas = [
        {"indicador": c.indicador, "tablero": c.tablero, "equivalente": c.equivalente, "datos": c.datos}
        for c in comparar_contadores(_ultima_captura(ctx.tablas.tablero), ctx.tablas.hitos, ctx.tablas.avances, ctx.criterio)
    ]
    df = pd.DataFrame(filas, columns=["indicador", "tablero", "equivalente", "datos"])
    df["tablero"] = df["tablero"].astype("Int64")
    df["datos"] = df["datos"].astype("int64")
    df["diferencia"] = df["tablero"] - df["datos"]
    return df


def avances_del_periodo(ctx: Contexto) -> pd.DataFrame:
    """Los avances registrados dentro del periodo (hasta el corte), en orden de registro."""
    a = ctx.tablas.avances
    dentro = a[mascara_en_periodo(a["fecha_registro"], ctx.periodo.inicio, ctx.corte)]
    return dentro.sort_values(["fecha_registro", "avance_id"], kind="mergesort")[
        ["avance_id", "hito_id", "fecha_registro", "porcentaje", "descripcion"]
    ].reset_index(drop=True)


def cambios_desde_anterior(ctx: Contexto) -> pd.DataFrame:
    """Hitos cuyo estado, avance o vencimiento cambió desde el cierre del periodo anterior."""
    antes = ctx.metricas_anteriores["metricas_hitos"].set_index("hito_id")
    ahora = ctx.metricas["metricas_hitos"].set_index("hito_id")
    filas = []
    for hito_id, fila in ahora.iterrows():
        previa = antes.loc[hito_id]
        base = {"hito_id": hito_id, "compromiso": fila["compromiso"], "institucion": fila["institucion_normalizada"]}
        if previa["estado"] != fila["estado"]:
            filas.append({**base, "cambio": "cambió de estado", "antes": previa["estado"], "ahora": fila["estado"]})
        if abs(previa["avance"] - fila["avance"]) > 1e-9:
            filas.append({**base, "cambio": "cambió su avance", "antes": _pct(previa["avance"]), "ahora": _pct(fila["avance"])})
        if fila["vencido"] and not previa["vencido"]:
            fin = fila["fecha_fin"].date().isoformat()
            filas.append({**base, "cambio": "quedó vencido", "antes": "en plazo", "ahora": f"vencido (fin {fin})"})
    return pd.DataFrame(filas, columns=COLUMNAS_CAMBIOS)


def alertas_por_tipo(ctx: Contexto) -> pd.DataFrame:
    """Número de alertas de cada tipo, de la más a la menos frecuente, con su etiqueta legible."""
    al = ctx.metricas["alertas"]
    conteo = al.groupby("tipo").size().reset_index(name="alertas")
    conteo = conteo.sort_values(["alertas", "tipo"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    nombres = etiquetas("alerta")
    conteo.insert(1, "etiqueta", conteo["tipo"].map(lambda t: nombres.get(t, t)).astype("str"))
    return conteo


def detalle_alertas(ctx: Contexto, compromiso: int | None = None) -> pd.DataFrame:
    """Las alertas con su etiqueta legible y su compromiso (todas, o las de ``compromiso``)."""
    al = ctx.metricas["alertas"]
    if compromiso is not None:
        al = al[al["compromiso"] == compromiso]
    nombres = etiquetas("alerta")
    al = al.assign(
        etiqueta=al["tipo"].map(lambda t: nombres.get(t, t)).astype("str"),
        compromiso_texto=al["compromiso"].map(lambda c: "cabecera" if pd.isna(c) else str(int(c))).astype("str"),
    )
    return al.reset_index(drop=True)


def _lista(elementos: list[str]) -> str:
    if len(elementos) <= 1:
        return "".join(elementos)
    return ", ".join(elementos[:-1]) + " y " + elementos[-1]


def resumen_en_prosa(ctx: Contexto) -> list[str]:
    """El resumen ejecutivo en frases, cada una construida solo a partir de las cifras.

    Mismo corte y mismos datos dan las mismas frases: no hay texto escrito a
    mano que pueda quedar desfasado de las tablas.
    """
    mh = ctx.metricas["metricas_hitos"]
    mc = ctx.metricas["metricas_compromisos"]
    total = len(mh)
    completados = int((mh["estado"] == "completado").sum())
    en_progreso = int((mh["estado"] == "en progreso").sum())
    no_iniciados = int((mh["estado"] == "no iniciado").sum())
    sin_avances = int((mh["avances"] == 0).sum())
    # «Sin iniciar» junta dos cosas que el tablero no cuenta igual (sus «no
    # iniciados» son los hitos sin avances): se dice cuántos son de cada una.
    en_cero = no_iniciados - sin_avances
    desglose = (
        f": {cantidad(sin_avances, 'hito no tiene', 'hitos no tienen')} ningún avance registrado y "
        f"{cantidad(en_cero, 'tiene', 'tienen')} avances, pero en 0 %."
        if en_cero
        else f"; {cantidad(sin_avances, 'hito no tiene', 'hitos no tienen')} ningún avance registrado."
    )
    frases = [
        f"Al corte del {ctx.corte.isoformat()}, de los {total} hitos del plan, "
        f"{cantidad(completados, 'está completado', 'están completados')}, {en_progreso} en progreso y "
        f"{no_iniciados} sin iniciar" + desglose
    ]
    vencidos = int(mh["vencido"].sum())
    sin_fin = int(mh["fecha_fin"].isna().sum())
    frase = (
        f"{cantidad(vencidos, 'hito está vencido', 'hitos están vencidos')}: su fecha de fin pasó sin llegar al 100 %."
        if vencidos
        else "Ningún hito está vencido."
    )
    # «Otros» solo tiene sentido después de nombrar hitos vencidos.
    if sin_fin == 1:
        frase += (" Otro hito" if vencidos else " 1 hito") + " no tiene fecha de fin y no puede quedar vencido."
    elif sin_fin:
        frase += f" {'Otros ' if vencidos else ''}{sin_fin} hitos no tienen fecha de fin y no pueden quedar vencidos."
    frases.append(frase)
    # El día de fin todavía está en plazo (metricas.metricas_hitos), pero un hito
    # que vence el mismo día del corte sin completarse es lo primero que quien
    # evalúa querrá mirar: se nombran, sin contarlos como vencidos.
    al_dia = mh[(mh["dias_para_fin"] == 0).fillna(False) & (mh["estado"] != "completado")]
    if len(al_dia):
        ids = ", ".join(al_dia["hito_id"].astype(str))
        frases.append(
            f"{cantidad(len(al_dia), 'hito vence', 'hitos vencen')} el mismo día del corte sin estar completado"
            + ("" if len(al_dia) == 1 else "s")
            + f" ({ids}); " + ("aún no cuenta como vencido." if len(al_dia) == 1 else "aún no cuentan como vencidos.")
        )
    avances = avances_al_corte(ctx)
    if len(avances):
        sin_evidencia = int((~tiene_evidencia(avances)).sum())
        # Solo hitos con algún avance: los que no tienen ninguno ya se dijeron, y
        # «sin evidencia» es además el nivel de un hito sin avances; no mezclarlos.
        sin_respaldo = int(((mh["avances"] > 0) & (mh["avances_con_evidencia"] == 0)).sum())
        frases.append(
            f"De los {len(avances)} avances registrados hasta el corte, {sin_evidencia} no traen medios de "
            f"verificación ni enlaces; {cantidad(sin_respaldo, 'hito tiene', 'hitos tienen')} avances pero ninguno "
            "con medios de verificación o enlaces que los respalden."
        )
    rezagados = mc[mc["avance_calculado"] < 50].sort_values(["avance_calculado", "compromiso"], kind="mergesort")
    if len(rezagados):
        nombres = [f"el {int(c.compromiso)} ({_pct(c.avance_calculado)})" for c in rezagados.itertuples()]
        if len(rezagados) == len(mc):
            cuantos = f"Ninguno de los {len(mc)} compromisos llega"
        else:
            cuantos = f"{cantidad(len(rezagados), 'compromiso', 'compromisos')} de {len(mc)} no {'llega' if len(rezagados) == 1 else 'llegan'}"
        frases.append(f"{cuantos} al 50 % de avance recalculado; de menos a más: {_lista(nombres)}.")
    difieren = mc[mc["diferencia"] > 0.5].sort_values(["diferencia", "compromiso"], ascending=[False, True], kind="mergesort")
    if len(difieren):
        mayor = difieren.iloc[0]
        frases.append(
            f"El tablero reporta más avance que el recalculado en {cantidad(len(difieren), 'compromiso', 'compromisos')}; "
            f"la mayor diferencia es la del compromiso {int(mayor['compromiso'])}: "
            f"{porcentaje_publicado(mayor['porcentaje_reportado'])} reportado frente a {_pct(mayor['avance_calculado'])} recalculado. "
            # La diferencia compara una cifra de la captura con el corte: sin la fecha de la captura no se lee bien.
            f"Lo reportado sale de: {ctx.lo_reportado}."
        )
    # Un hito cuya serie no encaja con el criterio tiene un avance que depende
    # del criterio elegido: quien evalúa debe verlo antes de citar la cifra.
    no_encajan = mh[(mh["avances"] > 1) & ~mh["serie_ajusta"].astype(bool)]
    if len(no_encajan):
        series = etiquetas("serie")
        detalle = [
            f"el {h.hito_id} (serie {series.get(h.tipo_serie, h.tipo_serie).lower()}) da {_pct(h.avance_ultimo)} con "
            f"«{nombre_criterio('ultimo')}», {_pct(h.avance_maximo)} con «{nombre_criterio('maximo')}» y "
            f"{_pct(h.avance_suma)} con «{nombre_criterio('suma')}»"
            for h in no_encajan.itertuples()
        ]
        frases.append(
            f"En {cantidad(len(no_encajan), 'hito', 'hitos')} la serie de porcentajes no encaja con el criterio "
            f"«{nombre_criterio(ctx.criterio)}» de este informe y el avance depende del criterio: {'; '.join(detalle)}."
        )
    cambios = cambios_desde_anterior(ctx)
    en_periodo = int(mh["avances_periodo"].sum())
    anterior = f"Desde el cierre de {ctx.anterior.etiqueta} ({ctx.anterior.fin.isoformat()})"
    if cambios.empty:
        frases.append(f"{anterior} ningún hito cambió de estado, de avance ni de plazo; se registraron {en_periodo} avances en el periodo.")
    else:
        def hitos_con(cambio: str) -> list[str]:
            return sorted(set(cambios.loc[cambios["cambio"] == cambio, "hito_id"]), key=lambda h: [int(x) for x in h.split(".")])

        partes = []
        for cambio, singular, plural in (
            ("cambió de estado", "cambió de estado", "cambiaron de estado"),
            ("cambió su avance", "cambió su avance", "cambiaron su avance"),
            ("quedó vencido", "quedó vencido", "quedaron vencidos"),
        ):
            ids = hitos_con(cambio)
            if ids:
                verbo = singular if len(ids) == 1 else plural
                partes.append(f"{cantidad(len(ids), 'hito', 'hitos')} {verbo} ({_lista(ids)})")
        frases.append(f"{anterior}, {_lista(partes)}; se registraron {en_periodo} avances en el periodo.")
    return frases


def evidencia_de_avances(ctx: Contexto) -> pd.DataFrame:
    """Cuántos avances al corte traen medios de verificación, enlaces, ambos o nada.

    El campo «Medios de verificación» del tablero suele estar vacío: esta tabla lo
    dice, y separa la etiqueta sin texto de la etiqueta ausente (ver
    ``medios_verificacion_estado`` en el paquete de datos y el glosario).
    """
    a = avances_al_corte(ctx)
    estado = a["medios_verificacion_estado"]
    nombres = etiquetas("medios")
    urls = a["urls"].fillna("").astype(str).str.strip() != ""
    filas = [("Avances registrados hasta el corte", len(a))]
    filas += [(f"«Medios de verificación»: {nombre.lower()}", int((estado == clave).sum())) for clave, nombre in nombres.items()]
    filas += [
        ("Con algún enlace en la descripción o los medios", int(urls.sum())),
        ("Sin medios de verificación ni enlaces", int(((estado != MEDIOS_CON_TEXTO) & ~urls).sum())),
    ]
    return pd.DataFrame(filas, columns=["indicador", "avances"]).astype({"indicador": "str", "avances": "int64"})


def avances_sin_medios(ctx: Contexto) -> pd.DataFrame:
    """Qué avances al corte no traen texto en «Medios de verificación», por hito: con la etiqueta vacía o sin ella.

    Columnas ``hito_id`` y una por estado sin texto (``vacio``, ``sin_etiqueta``)
    con los ``avance_id`` en orden de la lista del hito («—» si no hay ninguno);
    solo los hitos que tienen alguno, en orden de hito.
    """
    a = avances_al_corte(ctx)
    estados = [clave for clave in etiquetas("medios") if clave != MEDIOS_CON_TEXTO]
    sin_texto = a[a["medios_verificacion_estado"].isin(estados)]
    filas = []
    for hito_id, grupo in sin_texto.groupby("hito_id", sort=False):
        grupo = grupo.sort_values("numero", kind="mergesort")
        fila = {"hito_id": hito_id}
        for estado in estados:
            fila[estado] = ", ".join(grupo.loc[grupo["medios_verificacion_estado"] == estado, "avance_id"]) or "—"
        filas.append(fila)
    filas.sort(key=lambda f: [int(x) for x in f["hito_id"].split(".")])
    return pd.DataFrame(filas, columns=["hito_id", *estados]).astype(dict.fromkeys(["hito_id", *estados], "str"))


def hitos_sin_fecha_fin(ctx: Contexto) -> pd.DataFrame:
    """Hitos sin fecha de fin: nunca pueden figurar como vencidos."""
    mh = ctx.metricas["metricas_hitos"]
    return mh[mh["fecha_fin"].isna()].reset_index(drop=True)


def aviso_hitos_sin_fecha(ctx: Contexto) -> str:
    """Frase para el cronograma: cuántos hitos no pueden vencer por no tener fecha de fin."""
    mh = ctx.metricas["metricas_hitos"]
    sin_fin = hitos_sin_fecha_fin(ctx)
    if sin_fin.empty:
        return f"Los {len(mh)} hitos tienen fecha de fin, así que todos pueden evaluarse como vencidos o en plazo."
    ids = _lista(sin_fin["hito_id"].tolist())
    return (
        f"{cantidad(len(sin_fin), 'hito', 'hitos')} de {len(mh)} no {'tiene' if len(sin_fin) == 1 else 'tienen'} fecha de fin "
        f"en el tablero ({ids}): en el diagrama figuran con la marca «sin fechas» y nunca pueden figurar como vencidos, "
        "aunque no se hayan cumplido. Su retraso, si lo hay, no se puede medir."
    )


def avances_al_corte(ctx: Contexto) -> pd.DataFrame:
    """Los avances registrados hasta el final del día de corte."""
    from ..evaluacion.periodos import avances_al_corte as _al_corte

    return _al_corte(ctx.tablas.avances, ctx.corte)


def hitos_vencidos(ctx: Contexto) -> pd.DataFrame:
    """Hitos vencidos al corte, del que venció antes al que venció después."""
    mh = ctx.metricas["metricas_hitos"]
    return mh[mh["vencido"]].sort_values(["fecha_fin", "hito_id"], kind="mergesort").reset_index(drop=True)


def plazos(ctx: Contexto) -> pd.DataFrame:
    """Todos los hitos por fecha de fin (los que no tienen fecha, al final)."""
    mh = ctx.metricas["metricas_hitos"]
    return mh.sort_values(["fecha_fin", "compromiso", "numero"], kind="mergesort", na_position="last").reset_index(drop=True)
