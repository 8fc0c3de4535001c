/** The varieties a query can be written in: the low-resource ones Pont is for, and their high-resource neighbours. */
export const varieties = ['oc', 'ca', 'scn', 'af', 'fr', 'it', 'nl', 'es', 'en'] as const;
export type Variety = (typeof varieties)[number];

/**
 * A few lines in each variety, written for this guesser: their character trigrams are the profiles that a query is
 * compared with. They lean on what tells neighbours apart (Occitan -ament/-ar/lh/nh, Catalan l·l/ny/-ció,
 * Sicilian -u/ddh/chi, Afrikaans nie/ŉ/-tjie).
 */
const samples: Record<Variety, string> = {
  oc: "l'occitan es una lenga romanica parlada dins lo miègjorn. los trobadors cantavan l'amor e la natura. ont se tròba la vila? la montanha es nauta e los fuòcs de la nuèch son polits. cossí va? plan, mercés. la lenga d'òc a mantuna varietat: lo lemosin, lo gascon, lo provençal. aquel ostal es vièlh. fasèm la fèsta dins la carrièra. la cançon dels pastres. lo solelh e la luna. nòstra istòria. cercar de documents. trobar una informacion. lo castèl, la glèisa, lo mercat, l'aiga, lo vin, lo pan",
  ca: "el català és una llengua romànica parlada a catalunya, valència i les illes balears. la ciutat té molts carrers estrets. com estàs? molt bé, gràcies. l'aigua de la muntanya és freda. la informació del document. cercar una paraula. els trobadors cantaven l'amor. aquesta nit farem festa al carrer. la cançó dels pastors. el sol i la lluna. la nostra història. el castell, l'església, el mercat, el vi, el pa. col·lecció de llibres. any nou",
  scn: "lu sicilianu è na lingua rumanza parrata 'n sicilia. chi fai? sugnu beni, grazzi. la citati havi assai strati. l'acqua dâ muntagna è frisca. li pueti cantavanu l'amuri. stasira facemu festa ntâ strata. la canzuna dî picurara. lu suli e la luna. la nostra storia. lu casteddu, la chiesa, lu mircatu, lu vinu, lu pani. cu è ddu picciottu? unni è la casa? nun sacciu nenti. ddocu e ccà",
  af: "afrikaans is 'n taal wat in suid-afrika gepraat word. hoe gaan dit? goed, dankie. die stad het baie strate. die water van die berg is koud. die digters het van liefde gesing. vanaand hou ons fees in die straat. die lied van die herders. die son en die maan. ons geskiedenis. die kasteel, die kerk, die mark, die wyn, die brood. ek weet nie. waar is die huisie? dit is nie so nie",
  fr: "le français est une langue romane parlée en france. comment allez-vous? très bien, merci. la ville a beaucoup de rues étroites. l'eau de la montagne est froide. les troubadours chantaient l'amour. ce soir nous faisons la fête dans la rue. la chanson des bergers. le soleil et la lune. notre histoire. le château, l'église, le marché, le vin, le pain. chercher des documents. où se trouve la gare?",
  it: "l'italiano è una lingua romanza parlata in italia. come stai? sto bene, grazie. la città ha molte strade strette. l'acqua della montagna è fredda. i poeti cantavano l'amore. stasera facciamo festa nella strada. la canzone dei pastori. il sole e la luna. la nostra storia. il castello, la chiesa, il mercato, il vino, il pane. cercare documenti. dove si trova la stazione? gli uomini e le donne",
  nl: "het nederlands is een taal die in nederland en belgië gesproken wordt. hoe gaat het? goed, dank je. de stad heeft veel smalle straten. het water van de berg is koud. de dichters zongen over de liefde. vanavond vieren we feest op straat. het lied van de herders. de zon en de maan. onze geschiedenis. het kasteel, de kerk, de markt, de wijn, het brood. ik weet het niet. waar is het huisje?",
  es: "el español es una lengua romance hablada en españa y américa. ¿cómo estás? muy bien, gracias. la ciudad tiene muchas calles estrechas. el agua de la montaña está fría. los trovadores cantaban el amor. esta noche hacemos fiesta en la calle. la canción de los pastores. el sol y la luna. nuestra historia. el castillo, la iglesia, el mercado, el vino, el pan. buscar documentos. ¿dónde está la estación?",
  en: "english is a germanic language spoken in england and around the world. how are you? very well, thank you. the city has many narrow streets. the water of the mountain is cold. the poets sang of love. tonight we celebrate in the street. the song of the shepherds. the sun and the moon. our history. the castle, the church, the market, the wine, the bread. search the documents. where is the station?",
};

type Profile = Map<string, number>;

function trigrams(text: string): Profile {
  const p: Profile = new Map();
  for (const word of text.toLowerCase().normalize('NFC').split(/[^\p{L}'·ŉ]+/u)) {
    if (!word) continue;
    const w = ` ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) {
      const g = w.slice(i, i + 3);
      p.set(g, (p.get(g) ?? 0) + 1);
    }
  }
  return p;
}

function norm(p: Profile): number {
  let s = 0;
  for (const v of p.values()) s += v * v;
  return Math.sqrt(s);
}

const profiles = (Object.entries(samples) as [Variety, string][]).map(([v, text]) => {
  const p = trigrams(text);
  return { variety: v, profile: p, norm: norm(p) };
});

export interface Guess {
  variety: Variety;
  /** Cosine similarity of trigram counts, 0..1. */
  score: number;
  /** How far ahead of the runner-up, 0..1: short queries between close neighbours are often ambiguous. */
  margin: number;
}

/** Guesses the variety of a query from its character trigrams; undefined when the text is too short to tell. */
export function guessVariety(text: string): Guess | undefined {
  const q = trigrams(text);
  if (q.size < 4) return undefined;
  const qn = norm(q);
  const scored = profiles
    .map(({ variety, profile, norm: pn }) => {
      let dot = 0;
      for (const [g, c] of q) dot += c * (profile.get(g) ?? 0);
      return { variety, score: dot / (qn * pn) };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score === 0) return undefined;
  return { variety: best.variety, score: best.score, margin: best.score - (second?.score ?? 0) };
}
