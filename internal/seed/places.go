package seed

// Places and streets. City lines are "name|region|postal codes|landline prefixes|weight|expat
// weight": postal codes are space-separated codes or inclusive ranges ("28001-28055"); for
// Great Britain they are outward codes ("SW1A"), completed with a random inward code. The
// landline prefixes are the national significant digits that start a fixed-line number there
// ("91" Madrid, "954" Sevilla; "14" is Paris's "01 4…"). Weight is the population in thousands;
// the expat weight says where English speakers who live in Spain tend to live.

const spanishCities = `
Madrid|Madrid|28001-28055|91|3330|40
Barcelona|Cataluña|08001-08042|93|1660|40
Valencia|Comunidad Valenciana|46001-46026|96|807|20
Sevilla|Andalucía|41001-41020|954 955|681|0
Zaragoza|Aragón|50001-50022|976|675|0
Málaga|Andalucía|29001-29018|952 951|579|30
Murcia|Murcia|30001-30012|968|462|0
Palma|Islas Baleares|07001-07015|971|423|30
Las Palmas de Gran Canaria|Canarias|35001-35019|928|379|5
Bilbao|País Vasco|48001-48015|944|346|0
Alicante|Comunidad Valenciana|03001-03016|965|349|40
Córdoba|Andalucía|14001-14014|957|322|0
Valladolid|Castilla y León|47001-47016|983|298|0
Vigo|Galicia|36201-36216|986|293|0
Gijón|Asturias|33201-33213|985|268|0
L'Hospitalet de Llobregat|Cataluña|08901-08908|93|265|0
Vitoria-Gasteiz|País Vasco|01001-01015|945|255|0
A Coruña|Galicia|15001-15011|981|247|0
Elche|Comunidad Valenciana|03201-03206|965 966|235|0
Granada|Andalucía|18001-18015|958|228|5
Terrassa|Cataluña|08221-08228|93|224|0
Badalona|Cataluña|08911-08918|93|223|0
Oviedo|Asturias|33001-33013|985|219|0
Sabadell|Cataluña|08201-08208|93|216|0
Cartagena|Murcia|30201-30205|968|217|5
Jerez de la Frontera|Andalucía|11401-11408|956|213|0
Móstoles|Madrid|28931-28938|91|210|0
Santa Cruz de Tenerife|Canarias|38001-38010|922|209|5
Pamplona|Navarra|31001-31016|948|203|0
Almería|Andalucía|04001-04009|950|200|0
Alcalá de Henares|Madrid|28801-28807|91|196|0
Fuenlabrada|Madrid|28941-28947|91|193|0
Leganés|Madrid|28911-28919|91|189|0
San Sebastián|País Vasco|20001-20018|943|94|0
Donostia|País Vasco|20001-20018|943|94|0
Getafe|Madrid|28901-28909|91|187|0
Burgos|Castilla y León|09001-09007|947|174|0
Albacete|Castilla-La Mancha|02001-02008|967|173|0
Santander|Cantabria|39001-39012|942|172|0
Castellón de la Plana|Comunidad Valenciana|12001-12006|964|172|0
Alcorcón|Madrid|28921-28925|91|171|0
San Cristóbal de La Laguna|Canarias|38200-38208|922|158|0
Logroño|La Rioja|26001-26009|941|151|0
Badajoz|Extremadura|06001-06011|924|150|0
Marbella|Andalucía|29600-29604|952|150|60
Salamanca|Castilla y León|37001-37008|923|144|0
Huelva|Andalucía|21001-21007|959|142|0
Lleida|Cataluña|25001-25008|973|140|0
Tarragona|Cataluña|43001-43008|977|136|0
Dos Hermanas|Andalucía|41700-41704|954 955|136|0
Torrejón de Ardoz|Madrid|28850|91|133|0
Mataró|Cataluña|08301-08304|93|129|0
Algeciras|Andalucía|11201-11207|956|123|0
León|Castilla y León|24001-24010|987|122|0
Santa Coloma de Gramenet|Cataluña|08921-08924|93|120|0
Alcobendas|Madrid|28100-28109|91|117|0
Cádiz|Andalucía|11001-11012|956|112|0
Jaén|Andalucía|23001-23009|953|111|0
Reus|Cataluña|43201-43206|977|106|0
Ourense|Galicia|32001-32005|988|104|0
Girona|Cataluña|17001-17007|972|103|5
Barakaldo|País Vasco|48901-48903|944|101|0
Lugo|Galicia|27001-27004|982|98|0
Santiago de Compostela|Galicia|15701-15707|981|98|0
Cáceres|Extremadura|10001-10005|927|96|0
Lorca|Murcia|30800|968|96|0
Sant Cugat del Vallès|Cataluña|08172-08174|93|93|0
Cornellà de Llobregat|Cataluña|08940|93|89|0
Guadalajara|Castilla-La Mancha|19001-19005|949|87|0
Melilla|Melilla|52001-52006|952|86|0
Toledo|Castilla-La Mancha|45001-45008|925|85|0
Mijas|Andalucía|29649-29651|952|85|60
Ceuta|Ceuta|51001-51005|956|83|0
Pontevedra|Galicia|36001-36005|986|83|0
Torrevieja|Comunidad Valenciana|03181-03186|965 966|83|70
Fuengirola|Andalucía|29640|952|83|50
Talavera de la Reina|Castilla-La Mancha|45600|925|83|0
Arona|Canarias|38640 38650|922|82|40
Orihuela|Comunidad Valenciana|03300 03189|965 966|78|50
Getxo|País Vasco|48990-48993|944|78|0
Manresa|Cataluña|08240-08243|93|78|0
Palencia|Castilla y León|34001-34006|979|77|0
Ciudad Real|Castilla-La Mancha|13001-13005|926|75|0
Estepona|Andalucía|29680|952|72|40
Benidorm|Comunidad Valenciana|03501-03503|965 966|70|60
Torremolinos|Andalucía|29620|952|70|30
Ponferrada|Castilla y León|24400-24404|987|64|0
Irún|País Vasco|20300-20305|943|62|0
Granollers|Cataluña|08400-08403|93|62|0
Zamora|Castilla y León|49001-49032|980|60|0
Mérida|Extremadura|06800|924|60|0
Ávila|Castilla y León|05001-05005|920|58|0
Cuenca|Castilla-La Mancha|16001-16004|969|54|0
Huesca|Aragón|22001-22006|974|53|0
Segovia|Castilla y León|40001-40006|921|51|0
Ibiza|Islas Baleares|07800|971|50|10
Adeje|Canarias|38670|922|48|35
Figueres|Cataluña|17600|972|47|0
Dénia|Comunidad Valenciana|03700|965 966|44|25
Soria|Castilla y León|42001-42005|975|40|0
Teruel|Aragón|44001-44003|978|36|0
Jávea|Comunidad Valenciana|03730|965 966|28|40
Calp|Comunidad Valenciana|03710|965 966|22|35
Nerja|Andalucía|29780|952|21|20
Alfaz del Pi|Comunidad Valenciana|03580|965 966|20|25
Mojácar|Andalucía|04638|950|8|15
`

const frenchCities = `
Paris|Île-de-France|75001-75020|14 15|2100|0
Marseille|Provence-Alpes-Côte d'Azur|13001-13016|491|870|0
Lyon|Auvergne-Rhône-Alpes|69001-69009|472 478|520|0
Toulouse|Occitanie|31000 31100 31200 31300 31400 31500|561 562|500|0
Nice|Provence-Alpes-Côte d'Azur|06000 06100 06200 06300|493|340|0
Nantes|Pays de la Loire|44000 44100 44200 44300|240|320|0
Montpellier|Occitanie|34000 34070 34080 34090|467|300|0
Strasbourg|Grand Est|67000 67100 67200|388|290|0
Bordeaux|Nouvelle-Aquitaine|33000 33100 33200 33300 33800|556 557|260|0
Lille|Hauts-de-France|59000 59160 59260 59800|320|235|0
Rennes|Bretagne|35000 35200 35700|299|225|0
Reims|Grand Est|51100|326|180|0
Toulon|Provence-Alpes-Côte d'Azur|83000 83100 83200|494|180|0
Saint-Étienne|Auvergne-Rhône-Alpes|42000 42100|477|173|0
Le Havre|Normandie|76600 76610 76620|235|166|0
Grenoble|Auvergne-Rhône-Alpes|38000 38100|476|158|0
Dijon|Bourgogne-Franche-Comté|21000|380|158|0
Angers|Pays de la Loire|49000 49100|241|157|0
Nîmes|Occitanie|30000 30900|466|150|0
Clermont-Ferrand|Auvergne-Rhône-Alpes|63000 63100|473|147|0
Aix-en-Provence|Provence-Alpes-Côte d'Azur|13090 13100|442|145|0
Brest|Bretagne|29200|298|140|0
Tours|Centre-Val de Loire|37000 37100 37200|247|136|0
Amiens|Hauts-de-France|80000 80080 80090|322|133|0
Annecy|Auvergne-Rhône-Alpes|74000|450|130|0
Limoges|Nouvelle-Aquitaine|87000 87100 87280|555|130|0
Perpignan|Occitanie|66000 66100|468|120|0
Metz|Grand Est|57000 57050 57070|387|120|0
Besançon|Bourgogne-Franche-Comté|25000|381|117|0
Orléans|Centre-Val de Loire|45000 45100|238|116|0
Rouen|Normandie|76000 76100|235|113|0
Caen|Normandie|14000|231|106|0
Avignon|Provence-Alpes-Côte d'Azur|84000|490|91|0
Béziers|Occitanie|34500|467|79|0
La Rochelle|Nouvelle-Aquitaine|17000|546|77|0
Pau|Nouvelle-Aquitaine|64000|559|76|0
Narbonne|Occitanie|11100|468|56|0
Bayonne|Nouvelle-Aquitaine|64100|559|52|0
Carcassonne|Occitanie|11000|468|46|0
Biarritz|Nouvelle-Aquitaine|64200|559|25|0
`

const britishCities = `
London|England|SW1A W1D EC1A N1 E1 SE1 NW1 WC2H SW3 W2 E14 N16 SE15 SW11 W11||8900|0
Birmingham|England|B1 B2 B5 B13 B15 B30||1140|0
Leeds|England|LS1 LS2 LS6 LS8 LS17||800|0
Glasgow|Scotland|G1 G2 G3 G12 G41||630|0
Sheffield|England|S1 S2 S10 S11||560|0
Manchester|England|M1 M2 M4 M14 M20 M21||550|0
Edinburgh|Scotland|EH1 EH2 EH3 EH6 EH10||525|0
Liverpool|England|L1 L2 L8 L17 L18||490|0
Bristol|England|BS1 BS6 BS8 BS9||470|0
Leicester|England|LE1 LE2 LE3 LE4||370|0
Cardiff|Wales|CF10 CF11 CF14 CF24||360|0
Belfast|Northern Ireland|BT1 BT7 BT9 BT15||345|0
Nottingham|England|NG1 NG2 NG5 NG7||330|0
Newcastle upon Tyne|England|NE1 NE2 NE3 NE6||300|0
Brighton|England|BN1 BN2 BN3||290|0
Plymouth|England|PL1 PL4 PL6||265|0
Southampton|England|SO14 SO15 SO16 SO17||250|0
York|England|YO1 YO10 YO24 YO31||210|0
Oxford|England|OX1 OX2 OX3 OX4||160|0
Cambridge|England|CB1 CB2 CB3 CB4||145|0
Norwich|England|NR1 NR2 NR3||145|0
Bath|England|BA1 BA2||95|0
`

// Streets: a house number follows in Spain ("Calle Mayor 12"), precedes elsewhere
// ("12 rue de la République", "12 High Street").
const (
	spanishStreets = `Calle Mayor, Calle Real, Calle Nueva, Calle del Sol, Calle de la Iglesia,
Calle San Juan, Calle Santa María, Calle del Carmen, Calle de la Paz, Calle de Cervantes,
Calle Doctor Fleming, Calle Reyes Católicos, Calle Blasco Ibáñez, Calle Colón, Calle del Mar,
Calle de los Olivos, Calle Alfonso XIII, Calle Ramón y Cajal, Calle Federico García Lorca,
Calle Antonio Machado, Calle Miguel de Unamuno, Calle Goya, Calle Velázquez, Calle Hernán Cortés,
Calle San Francisco, Calle Sevilla, Calle Granada, Calle Jacinto Benavente, Calle Pío XII,
Calle de la Fuente, Calle del Pilar, Calle Castilla, Calle Extremadura, Calle Galicia,
Calle de las Flores, Calle del Río, Calle Ancha, Calle Pintor Sorolla, Calle Severo Ochoa,
Calle Rosalía de Castro, Calle Concepción Arenal, Calle Cánovas del Castillo,
Calle Virgen del Rocío, Calle Sagasta, Calle Menéndez Pelayo, Calle Isaac Peral,
Calle Clara Campoamor, Calle Lope de Vega, Calle Góngora, Calle Núñez de Balboa,
Avenida de la Constitución, Avenida de Andalucía, Avenida de España, Avenida de América,
Avenida de la Libertad, Avenida del Mediterráneo, Avenida de los Reyes Católicos,
Avenida de Portugal, Avenida de Europa, Avenida de la Paz, Avenida Juan Carlos I,
Avenida de Madrid, Avenida Blas Infante, Plaza de España, Plaza Mayor, Plaza de la Constitución,
Plaza del Ayuntamiento, Plaza de la Iglesia, Plaza de San Juan, Paseo Marítimo,
Paseo de la Estación, Ronda de Poniente, Camino Viejo, Carretera de Valencia,
Travesía de la Iglesia, Gran Vía`

	catalanStreets = `Carrer Major, Carrer de Balmes, Carrer Nou, Carrer del Mar, Carrer de Sant Joan,
Carrer de Sant Pere, Carrer de la Indústria, Carrer de Pau Claris, Carrer de Mallorca,
Carrer de Provença, Carrer de Verdi, Carrer de l'Església, Avinguda Diagonal,
Avinguda de Catalunya, Avinguda Meridiana, Passeig de Gràcia, Passeig Marítim,
Plaça de Catalunya, Plaça Major, Plaça de la Vila, Rambla de Catalunya, Rambla Nova,
Ronda de Sant Pere, Via Augusta`

	frenchStreets = `rue de la République, rue Victor Hugo, rue Jean Jaurès, avenue Jean Jaurès,
boulevard Victor Hugo, place de la Mairie, rue des Lilas, allée des Tilleuls, impasse du Moulin,
chemin des Vignes, quai Saint-Michel, rue Pasteur, rue de l'Église, rue Nationale,
avenue de la Gare, rue du Général de Gaulle, boulevard Gambetta, rue Émile Zola, rue de la Paix,
avenue Foch, rue des Écoles, place du Marché, rue Voltaire, rue Molière, cours Mirabeau,
rue Sainte-Catherine, rue de Verdun, rue du Château, rue Gabriel Péri, rue Anatole France`

	britishStreets = `High Street, Station Road, Main Street, Park Road, Church Road, Church Street,
London Road, Victoria Road, Green Lane, Manor Road, Church Lane, Park Avenue, The Avenue,
The Crescent, Queens Road, New Road, Grange Road, Kings Road, Mill Lane, Springfield Road,
North Street, South Street, Albert Road, Windsor Road, York Road, Stanley Road, Richmond Road,
Chester Road, Highfield Road, St John's Road, Broadway, Market Street, Castle Street,
George Street, Queen Street, King Street`
)

// Second address lines, used now and then; ";"-separated, as some contain commas.
const (
	spanishLine2 = `Escalera B; Escalera izquierda; Local 2; Portal 3; Bloque 4; Edificio Sol;
Urbanización Los Pinos; Urbanización El Mirador; Urbanización La Alameda; Residencial Las Palmeras`
	expatLine2 = `Urbanización Las Lomas; Urbanización El Paraíso; Urbanización Los Pinos;
Urbanización Calypso; Urbanización Playa Flamenca; Urbanización Riviera del Sol;
Urbanización El Mirador; Urbanización Monte Pego; Urbanización Cumbre del Sol; La Zenia`
	businessLine2 = `Polígono Industrial San Isidro, nave 3; Polígono Industrial Los Olivos, nave 12;
Polígono Industrial El Prado; Parque Empresarial La Florida; Mercado Central, puesto 14;
Mercado de Abastos, puesto 7; Centro Comercial Los Arcos, local 12`
	frenchLine2 = `Bâtiment B; Résidence Les Tilleuls; Escalier C; Appartement 4; Résidence du Parc;
Le Clos des Vignes; Lieu-dit Les Granges`
	britishLine2 = `Flat 2; Flat 5; Apartment 12; The Old Rectory; Unit 4; Rose Cottage; Flat 1A`
)

// Floors and doors of Spanish flats ("3º B", "Bajo", "2n 1a" in Catalonia).
const (
	spanishFloors = `1º, 2º, 3º, 4º, 5º, 6º, 7º, 8º, 1º, 2º, 3º, 1º, 2º, Bajo, Entresuelo, Ático`
	spanishDoors  = `A, B, C, D, A, B, izda., dcha., 1, 2`
	catalanFloors = `1r, 2n, 3r, 4t, 5è, 6è, 1r, 2n, 3r, Baixos, Entresòl, Àtic`
	catalanDoors  = `1a, 2a, 3a, 4a, 1a, 2a`
)
