package seed

// Word lists for people's names. Each list is comma-separated (line breaks count as commas)
// and ordered from the most to the least frequent: the generator weights entries by rank
// (see zipfWeights), which gives García far more often than Coronado, as in a real register.
// NewGenerator parses them once; nothing here is mutable.

// Spanish given names, after the INE's frequency tables (compound names included, as they
// are registered: "José Luis" is one given name).
const (
	spanishMale = `Antonio, José, Manuel, Francisco, David, Juan, Javier, José Antonio, Daniel,
José Luis, Francisco Javier, Carlos, Jesús, Alejandro, Miguel, José Manuel, Rafael, Pedro,
Miguel Ángel, Ángel, Pablo, José María, Fernando, Sergio, Luis, Jorge, Alberto, Juan Carlos,
Juan José, Álvaro, Diego, Adrián, Raúl, Enrique, Ramón, Juan Antonio, Vicente, Iván, Rubén,
Óscar, Andrés, Joaquín, Santiago, Eduardo, Víctor, Roberto, Jaime, Francisco José, Mario,
Marcos, Ignacio, Hugo, Alfonso, Salvador, Ricardo, Emilio, Guillermo, Gabriel, Julián, Julio,
Tomás, Agustín, Gonzalo, Félix, José Ramón, Martín, Nicolás, Samuel, Ismael, Cristian,
Sebastián, Germán, Lucas, Mateo, Leo, Bruno, Rodrigo, Gael, Álex, Izan, Héctor, Íñigo, Iñaki,
Esteban, Benjamín, Joel, Darío, Aarón, Saúl, Ramiro, Fermín, Valentín, Jesús María, Marcelino`

	spanishFemale = `María Carmen, María, Carmen, Ana María, Josefa, María Pilar, Isabel, Laura,
María Dolores, María Teresa, Ana, Cristina, Marta, María Ángeles, Francisca, Lucía,
María Isabel, María José, Antonia, Dolores, Sara, Paula, Elena, María Luisa, Raquel,
Rosa María, Pilar, Concepción, Manuela, María Jesús, Mercedes, Julia, Beatriz, Nuria, Silvia,
Rosario, Juana, Alba, Irene, Teresa, Encarnación, Patricia, Montserrat, Andrea, Rocío, Mónica,
Rosa, Alicia, María del Mar, Sonia, Sandra, Ángela, Marina, Susana, Natalia, Yolanda,
Margarita, Claudia, Eva, María Josefa, Sofía, Inmaculada, Carla, Noelia, Esther, Verónica,
Ángeles, Nerea, Begoña, Inés, Carolina, Lorena, Amparo, Eva María, Olga, Remedios, Asunción,
Belén, Lidia, Aurora, Martina, Valeria, Daniela, Jimena, Ainhoa, Miriam, Gloria, Consuelo,
Milagros, Soledad, Adela, Noemí`

	// spanishSurnames are the 200-odd most frequent Spanish surnames, most frequent first.
	spanishSurnames = `García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez,
Gómez, Martín, Jiménez, Hernández, Ruiz, Díaz, Moreno, Muñoz, Álvarez, Romero, Gutiérrez,
Alonso, Navarro, Torres, Domínguez, Ramos, Vázquez, Ramírez, Gil, Serrano, Morales, Molina,
Blanco, Suárez, Castro, Ortega, Delgado, Ortiz, Marín, Rubio, Núñez, Medina, Sanz, Castillo,
Iglesias, Cortés, Garrido, Santos, Guerrero, Lozano, Cano, Cruz, Méndez, Flores, Prieto,
Herrera, Peña, León, Márquez, Cabrera, Gallego, Calvo, Vidal, Campos, Reyes, Vega, Fuentes,
Carrasco, Diez, Aguilar, Caballero, Nieto, Santana, Vargas, Pascual, Giménez, Herrero, Hidalgo,
Montero, Lorenzo, Santiago, Benítez, Durán, Ibáñez, Arias, Mora, Ferrer, Carmona, Vicente,
Rojas, Soto, Crespo, Román, Pastor, Velasco, Parra, Sáez, Moya, Bravo, Rivera, Gallardo, Soler,
Silva, Esteban, Pardo, Franco, Rivas, Merino, Espinosa, Lara, Izquierdo, Casado, Sierra,
Camacho, Arroyo, Redondo, Luque, Montes, Rey, Galán, Otero, Vera, Marcos, Carrillo, Mendoza,
Bernal, Heredia, Aparicio, Trujillo, Robles, Pizarro, Mateo, Guillén, Varela, Ballesteros,
Salazar, Contreras, Rueda, Beltrán, Andrés, Villar, Miranda, Estévez, Padilla, Rosales,
Bermúdez, Valero, Sáenz, Manzano, Ríos, Toledo, Cuesta, Vallejo, Ávila, Quintana, Paredes,
Zamora, Carretero, Salas, Aguirre, Nieves, Mesa, Jurado, Figueroa, Barroso, Benito, Cordero,
Alarcón, Saiz, Polo, Acosta, Quesada, Tomás, Salinas, Chacón, Rico, Ferrández, Santamaría,
Peinado, Cisneros, Escobar, Palacios, Maldonado, Bueno, Gálvez, Aranda, Mejías, Valencia,
Solís, Escudero, Calderón, Córdoba, Ojeda, Luna, Guzmán, Valle, Salgado, Cid, Pineda, Castaño,
Vives, Montoya, Pacheco, Osorio, Ibarra, Ceballos, Coronado`

	// spanishNicknames name bars and shops ("Bar Casa Paco").
	spanishNicknames = `Paco, Pepe, Manolo, Lola, Juani, Toñi, Curro, Paqui, Nacho, Chema, Quique,
Pepa, Maite, Charo, Rafa, Tito, Pili, Merche, Fermín, Chelo, Loli, Moncho, Lolo, Santi, Pepi,
Juanma, Toni, Kiko, Nico, Julián, Ramón, Andrés, Emilio, Rosario, Conchi, Encarna, Tomás`
)

// Catalan, Basque, Galician and Portuguese names: a few percent of the register.
const (
	catalanMale = `Jordi, Joan, Pau, Marc, Oriol, Pol, Arnau, Jaume, Josep, Xavier, Albert, Ferran,
Lluís, Martí, Roger, Enric, Joaquim, Gerard`
	catalanFemale = `Núria, Montserrat, Laia, Mireia, Meritxell, Anna, Carme, Mercè, Roser, Neus,
Aina, Ariadna, Júlia, Berta, Gemma, Clàudia, Marta`
	catalanSurnames = `Puig, Ferrer, Vidal, Soler, Roca, Serra, Font, Pujol, Vilà, Casals, Riera,
Bosch, Sala, Martí, Mas, Camps, Batlle, Güell, Farré, Sabaté, Costa, Prat, Coll, Vila, Pons,
Rovira, Torrent, Planas, Estruch, Comas, Garcia, Martínez, López`

	basqueMale = `Iñaki, Aitor, Unai, Gorka, Asier, Mikel, Ander, Jon, Koldo, Xabier, Iker, Eneko,
Joseba, Imanol, Julen, Txema`
	basqueFemale = `Ainhoa, Amaia, Nerea, Itziar, Leire, Miren, Edurne, Arantxa, Maite, Irati, June,
Nahia, Garazi, Idoia, Izaskun, Begoña`
	basqueSurnames = `Etxeberria, Goikoetxea, Agirre, Arrieta, Zubizarreta, Urrutia, Bilbao,
Echeverría, Garmendia, Olano, Iturbe, Larrañaga, Ibarra, Elorza, Uriarte, Zabaleta, Mendizábal,
Aranburu, Azkue, Otxoa, Ugarte, Errasti, Lasa, Elizondo, Arregui, Fernández, González`

	galicianMale     = `Xosé, Xoán, Brais, Iago, Anxo, Roi, Uxío, Breixo, Martiño, Xurxo, Manuel, José`
	galicianFemale   = `Uxía, Iria, Antía, Noa, Sabela, Xiana, Carme, Lúa, Aldara, Olalla, María`
	galicianSurnames = `Otero, Seoane, Varela, Rey, Carballo, Pazos, Outeiro, Souto, Barreiro,
Fraga, Castro, Lorenzo, Vázquez, Rodríguez, Fernández, Louzao, Piñeiro, Romarís, Ferreiro,
Bouzas, Pereiro, Quiroga`

	portugueseMale = `João, António, Manuel, Pedro, Rui, Tiago, Gonçalo, Luís, Nuno, Paulo, José,
Francisco, Miguel, Sérgio`
	portugueseFemale = `Maria, Ana, Inês, Beatriz, Joana, Conceição, Mariana, Fátima, Sílvia,
Filipa, Catarina, Rita, Sónia`
	portugueseSurnames = `Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins,
Sousa, Fernandes, Gonçalves, Gomes, Lopes, Marques, Almeida, Ribeiro, Carvalho, Magalhães,
Araújo, Simões, Teixeira, Azevedo`
)

// French names.
const (
	frenchMale = `Jean, Pierre, Michel, André, Philippe, Alain, Bernard, Jacques, François,
Christophe, Nicolas, Laurent, Stéphane, Frédéric, Sébastien, Julien, Olivier, Thierry, Éric,
Patrice, Hervé, Benoît, Guillaume, Jérôme, Maxime, Théo, Mathéo, Loïc, Gaël, Noël, Cédric,
Clément, Rémi, Jérémy, Hugo, Lucas, Raphaël, Léo, Gérard, Grégoire`
	frenchFemale = `Marie, Nathalie, Isabelle, Sylvie, Catherine, Françoise, Christine, Monique,
Valérie, Sandrine, Véronique, Hélène, Céline, Aurélie, Émilie, Élodie, Mélanie, Chloé, Léa,
Manon, Camille, Inès, Océane, Anaïs, Noémie, Zoé, Mathilde, Geneviève, Brigitte, Béatrice,
Agnès, Joëlle, Danièle, Léonie, Maëlle, Cécile, Séverine, Solène, Margaux, Jacqueline`
	frenchSurnames = `Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau,
Simon, Laurent, Lefèvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel,
Girard, André, Lefebvre, Mercier, Dupont, Lambert, Bonnet, François, Martinez, Legrand,
Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, Morin,
Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier, Robin, Masson, Sanchez, Gérard,
Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier, Roger, Roche, Roy, Noël, Meyer, Lucas,
Meunier, Jean, Marchand, Dufour, Blanchard, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux,
Colin, Fernandez, Renard, Arnaud, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, Lemoine,
Picard, Fabre, Dupuis, Olivier, Rivière, Le Gall, Ménard, Prévost, Carré, Hébert, Thébault,
Lebœuf, Citroën, Besançon, Delacroix, Daniélou`
)

// English names (the United Kingdom and Ireland mostly).
const (
	englishMale = `James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles,
Christopher, Daniel, Matthew, Anthony, Mark, Paul, Steven, Andrew, Kenneth, Joshua, Kevin,
Brian, George, Timothy, Edward, Ryan, Gary, Nicholas, Jonathan, Stephen, Oliver, Harry, Jack,
Charlie, Alfie, Ian, Graham, Nigel, Simon, Colin, Trevor, Keith, Derek, Stuart, Neil, Gordon,
Alan, Peter, Philip, Martin, Adrian, Gareth, Darren, Lee, Craig, Barry, Sean, Liam, Dean, Rhys`
	englishFemale = `Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah,
Karen, Lisa, Margaret, Sandra, Emily, Michelle, Amanda, Rebecca, Sharon, Laura, Helen, Amy,
Emma, Olivia, Charlotte, Sophie, Jane, Julie, Claire, Joanne, Louise, Gillian, Pauline, Janet,
Hazel, Shirley, Maureen, Sheila, Wendy, Tracey, Lorraine, Fiona, Kirsty, Hannah, Chloe, Lucy,
Zoë, Siobhan, Deborah, Catherine, Victoria, Rachel, Nicola, Kate, Alison, Carol, Jean, Ruth,
Anne, Sian, Megan`
	englishSurnames = `Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson,
Roberts, Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris,
Clarke, Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee,
King, Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price,
Bennett, Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell,
Shaw, Murphy, Miller, Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh,
Wilkinson, Foster, Chapman, Powell, Webb, Rogers, Gray, Mason, Hunt, Campbell, Palmer, Holmes,
O'Brien, O'Connor, McDonald, MacLeod, Fitzgerald, Ashworth-Jones`
)
