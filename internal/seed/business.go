package seed

// Companies, legal forms, e-mail providers, notes and groups.

// Company name patterns, one per line: "weight|pattern|organisation letter". In a pattern,
// {S} is a surname, {N} a nickname or given name, {C} the company's city, {R} a compass word
// ("Distribuciones del Sur"), {F} a made-up business name, {P} a "where" phrase ("Café de la
// Plaza"). An organisation letter (P: town council, G: association) replaces the legal form's
// and leaves the legal form empty.
const (
	spanishCompanies = `
6|Bar Casa {N}|
4|Bar {F}|
3|Bar {N}|
3|Restaurante {F}|
2|Restaurante Casa {N}|
2|Mesón {F}|
2|Cafetería {F}|
2|Café {P}|
1|Cervecería {F}|
1|Taberna {F}|
4|Panadería {S}|
2|Panadería Hermanos {S}|
2|Pastelería {S}|
4|Talleres {S}|
2|Talleres {S} e Hijos|
3|Construcciones {S} y {S}|
2|Distribuciones del {R}|
2|Distribuciones {S}|
3|Transportes {S}|
2|Ferretería {S}|
2|Frutas {S}|
2|Carnicería {S}|
1|Pescados y Mariscos {S}|
2|Gestoría {S}|
2|Asesoría {S} y Asociados|
2|Reformas {C}|
2|Inmobiliaria {C}|
2|Electricidad {S}|
1|Fontanería {S}|
1|Bodegas {S}|
1|Hostelería {C}|
2|Grupo {S}|
2|Comercial {S}|
1|Suministros Industriales {C}|
1|Clínica Dental {S}|
1|Autoescuela {C}|
1|Supermercados {S}|
1|Librería {S}|
1|Floristería {S}|
1|Óptica {C}|
1|Ultramarinos {S}|
1|Hotel {F}|
1|Ayuntamiento de {C}|P
1|Club Deportivo {C}|G
1|Asociación de Vecinos {F}|G
`
	spanishFancy = `El Rincón, La Bodeguilla, Los Arcos, El Puerto, La Esquina, El Molino, La Tasca,
El Faro, La Parada, La Bellota, El Olivo, La Marina, El Paseo, La Fuente, El Cruce,
Los Naranjos, La Alameda, El Castillo, La Perla, El Ancla, La Parra, El Trébol, Los Álamos,
La Estrella, El Cortijo`
	spanishWhere   = `de la Plaza, del Mercado, del Puerto, de la Estación, del Teatro, del Centro, de la Playa, del Casino`
	spanishCompass = `Sur, Norte, Levante, Mediterráneo, Cantábrico, Centro, Atlántico, Este, Noroeste`

	frenchCompanies = `
4|Boulangerie {S}|
2|Boulangerie-Pâtisserie {S}|
1|Boulangerie Martin|
2|Café du Commerce|
3|Café {P}|
2|Brasserie {P}|
3|Restaurant Chez {N}|
3|Garage {S}|
2|Transports {S}|
2|Boucherie {S}|
1|Fromagerie {S}|
1|Pharmacie {P}|
2|{F}|
1|Cave {S}|
2|Plomberie {S}|
1|Hôtel {F}|
`
	frenchFancy = `Le Petit Zinc, La Belle Époque, Le Comptoir, Les Halles, L'Étoile, Le Relais, La Cigale,
Le Bistrot du Coin, Au Bon Accueil, La Table d'Hélène, Le Grand Café`
	frenchWhere = `de la Gare, du Marché, de la Place, du Port, de la Mairie, des Sports, du Centre`

	britishCompanies = `
3|{S} & Sons|
2|{S} Plumbing|
2|{S}'s Bakery|
3|The {F}|
2|{C} Motors|
2|{S} Builders|
1|{S} & {S} Solicitors|
1|Green Valley Foods|
2|{S} Electrical|
2|{C} Properties|
1|{C} Lettings|
1|{N}'s Café|
1|{S} Accountancy|
1|Sunshine Bar|
`
	britishFancy = `Red Lion, Crown, Royal Oak, White Horse, Swan, Plough, Rose and Crown, King's Arms,
Queen's Head, Black Bull, Fox and Hounds, Ship Inn`
)

// Legal forms: "form|CIF organisation letter|weight" (the letter only matters in Spain).
const (
	spanishLegalForms = `
S.L.|B|60
S.L.U.|B|12
S.A.|A|9
S.Coop.|F|4
C.B.|E|6
S.C.|J|3
|B|6
`
	frenchLegalForms = `
SARL||45
SAS||35
EURL||10
SASU||6
SA||4
`
	britishLegalForms = `
Ltd||85
LLP||5
PLC||2
||8
`
)

// E-mail providers, "domain weight" per line.
const (
	spanishMailDomains = `
gmail.com 42
hotmail.com 14
hotmail.es 12
outlook.com 7
yahoo.es 6
outlook.es 4
icloud.com 4
telefonica.net 3
yahoo.com 2
live.com 2
movistar.es 1
ono.com 1
`
	frenchMailDomains = `
gmail.com 30
orange.fr 20
free.fr 12
hotmail.fr 8
wanadoo.fr 8
laposte.net 8
sfr.fr 7
yahoo.fr 5
outlook.fr 2
`
	britishMailDomains = `
gmail.com 30
hotmail.co.uk 14
btinternet.com 12
yahoo.co.uk 10
outlook.com 10
icloud.com 8
sky.com 6
live.co.uk 5
aol.com 3
virginmedia.com 2
`
)

// Mailbox names of companies ("info@…").
const (
	spanishMailboxes = `info, info, info, contacto, administracion, pedidos, facturacion, gerencia`
	frenchMailboxes  = `contact, contact, info, compta, commandes`
	britishMailboxes = `info, info, office, accounts, hello, enquiries`
)

// Notes the staff write about a customer.
const customerNotes = `Alérgico a los frutos secos.
Prefiere factura en papel.
Celíaca: avisar en cocina.
Intolerante a la lactosa.
Paga siempre con tarjeta.
Cliente desde la inauguración.
Llamar antes de entregar el pedido.
Entregas solo por la mañana, de 8 a 11.
No enviar publicidad por correo postal.
Reserva la mesa del fondo los viernes.
Pide el pan sin sal.
Recoge el encargo los sábados.
Tiene perro: dejar el paquete en portería.
Pagos a 30 días, fecha factura.
Vegetariano.
Vegana, sin miel.
Cumpleaños en marzo: felicitar.
Café cortado con leche de avena.
Descuento acordado por volumen con el gerente.
Preguntar por Carmen en recepción.
Enviar presupuesto antes de cada pedido.
Tuvo un impago en 2022, ya regularizado.
Descargar por la puerta trasera.
Necesita mesa accesible para silla de ruedas.
Diabético: ofrecer opciones sin azúcar.
Pedido fijo: dos barras de pan cada mañana.
Habla mejor inglés que español.
Factura con el CIF de la empresa, no a título personal.
Devolvió un pedido en mal estado; tratar con cuidado.
Quiere el ticket siempre por correo electrónico.`

// Groups a shop creates: "name|discount in basis points|membership weight|description". The
// first six are always there; NewGenerator adds up to two of the others, depending on the seed.
const shopGroups = `
VIP|1000|4|Los clientes más fieles: 10 % de descuento en todas sus compras.
Profesionales|500|14|Autónomos y empresas del sector; factura completa siempre.
Empleados|1500|5|Personal de la tienda y familiares directos.
Mayoristas|1200|7|Compras por volumen con precio de distribuidor.
Amigos del barrio|0|30|Vecinos de toda la vida; sin descuento, para avisos y campañas.
Clientes de temporada|300|20|Veraneantes y visitantes que vuelven cada temporada alta.
Jubilados|500|15|Mayores de 65 años con tarjeta de jubilado.
Estudiantes|500|12|Con carné de estudiante o universitario en vigor.
Socios del club|700|10|Socios del club deportivo del pueblo.
Hostelería|800|8|Bares y restaurantes de la zona que compran a diario.
`
