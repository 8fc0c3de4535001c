/** The varieties a query can be written in: the low-resource ones Pont is for, and their high-resource neighbours. */
export const varieties = ['oc', 'ca', 'scn', 'af', 'fr', 'it', 'nl', 'es', 'en'] as const;
export type Variety = (typeof varieties)[number];

/**
 * A few lines in each variety, written for this guesser: their character trigrams are the profiles that a query is
 * compared with. They lean on what tells neighbours apart (Occitan -ament/-ar/lh/nh, Catalan l·l/ny/-ció,
 * Sicilian -u/ddh/chi, Afrikaans nie/ŉ/-tjie).
 */
const samples: Record<Variety, string> = {
  oc: "los las dels amb per dins aquò aquela ongan pas mai nòstre vòstre qu'es ben fòrt uèi deman ièr pòble lenga occitana vilatge faire dire venir anar pichon grand polit castanhas olivas vinhas aiga fuòc fuèlha trabalh escòla calandreta ostal carrièra plaça pont rota montanhòl mar ribièra flor aucèl lop cabra fedas pan vin oli mèl fèsta musica cançon dança violon bal nuèch jorn ivèrn estiu prima tardor. l'occitan es una lenga romanica parlada dins lo miègjorn. los trobadors cantavan l'amor e la natura. ont se tròba la vila? la montanha es nauta e los fuòcs de la nuèch son polits. cossí va? plan, mercés. la lenga d'òc a mantuna varietat: lo lemosin, lo gascon, lo provençal. aquel ostal es vièlh. fasèm la fèsta dins la carrièra. la cançon dels pastres. lo solelh e la luna. nòstra istòria. cercar de documents. trobar una informacion. lo castèl, la glèisa, lo mercat, l'aiga, lo vin, lo pan",
  ca: "els les dels amb per dins això aquella enguany no pas més nostre vostre que és molt avui demà ahir poble llengua catalana poble fer dir venir anar petit gran bonic castanyes olives vinyes aigua foc fulla feina escola casa carrer plaça pont carretera muntanyenc mar riu flor ocell llop cabra ovelles pa vi oli mel festa música cançó dansa violí ball nit dia hivern estiu primavera tardor col·legi llum lluna llarg any anys. el català és una llengua romànica parlada a catalunya, valència i les illes balears. la ciutat té molts carrers estrets. com estàs? molt bé, gràcies. l'aigua de la muntanya és freda. la informació del document. cercar una paraula. els trobadors cantaven l'amor. aquesta nit farem festa al carrer. la cançó dels pastors. el sol i la lluna. la nostra història. el castell, l'església, el mercat, el vi, el pa. col·lecció de llibres. any nou",
  scn: "li dî dâ ntô ntâ cu pi ddu dda ddi chistu chista iddu idda nuàtri vuàtri chi è assai oggi dumani aieri paisi lingua siciliana paisi fari diri vèniri iri nicu granni beddu castagni aliva vigni acqua focu fogghia travagghiu scola casa strata chiazza ponti muntagna mari ciumi ciuri aceddu lupu crapa pecuri tumazzu pani vinu ogghiu meli festa mùsica canzuna abballu sira jornu mmernu stati primavera autunnu pisci. lu sicilianu è na lingua rumanza parrata 'n sicilia. chi fai? sugnu beni, grazzi. la citati havi assai strati. l'acqua dâ muntagna è frisca. li pueti cantavanu l'amuri. stasira facemu festa ntâ strata. la canzuna dî picurara. lu suli e la luna. la nostra storia. lu casteddu, la chiesa, lu mircatu, lu vinu, lu pani. cu è ddu picciottu? unni è la casa? nun sacciu nenti. ddocu e ccà",
  af: "die en van in met vir op is nie ons julle hulle dit wat baie vandag môre gister dorp taal afrikaanse maak sê kom gaan klein groot mooi kastaiings olywe wingerde water vuur blaar werk skool huis straat plein brug pad berg see rivier blom voël wolf bok skape kaas brood wyn olie heuning fees musiek liedjie dans viool nag dag winter somer lente herfs ŉ braaivleis fiets trein. afrikaans is 'n taal wat in suid-afrika gepraat word. hoe gaan dit? goed, dankie. die stad het baie strate. die water van die berg is koud. die digters het van liefde gesing. vanaand hou ons fees in die straat. die lied van die herders. die son en die maan. ons geskiedenis. die kasteel, die kerk, die mark, die wyn, die brood. ek weet nie. waar is die huisie? dit is nie so nie",
  fr: "le français est une langue romane parlée en france. comment allez-vous? très bien, merci. la ville a beaucoup de rues étroites. l'eau de la montagne est froide. les troubadours chantaient l'amour. ce soir nous faisons la fête dans la rue. la chanson des bergers. le soleil et la lune. notre histoire. le château, l'église, le marché, le vin, le pain. chercher des documents. où se trouve la gare?",
  it: "l'italiano è una lingua romanza parlata in italia. come stai? sto bene, grazie. la città ha molte strade strette. l'acqua della montagna è fredda. i poeti cantavano l'amore. stasera facciamo festa nella strada. la canzone dei pastori. il sole e la luna. la nostra storia. il castello, la chiesa, il mercato, il vino, il pane. cercare documenti. dove si trova la stazione? gli uomini e le donne",
  nl: "het nederlands is een taal die in nederland en belgië gesproken wordt. hoe gaat het? goed, dank je. de stad heeft veel smalle straten. het water van de berg is koud. de dichters zongen over de liefde. vanavond vieren we feest op straat. het lied van de herders. de zon en de maan. onze geschiedenis. het kasteel, de kerk, de markt, de wijn, het brood. ik weet het niet. waar is het huisje?",
  es: "el español es una lengua romance hablada en españa y américa. ¿cómo estás? muy bien, gracias. la ciudad tiene muchas calles estrechas. el agua de la montaña está fría. los trovadores cantaban el amor. esta noche hacemos fiesta en la calle. la canción de los pastores. el sol y la luna. nuestra historia. el castillo, la iglesia, el mercado, el vino, el pan. buscar documentos. ¿dónde está la estación?",
  en: "english is a germanic language spoken in england and around the world. how are you? very well, thank you. the city has many narrow streets. the water of the mountain is cold. the poets sang of love. tonight we celebrate in the street. the song of the shepherds. the sun and the moon. our history. the castle, the church, the market, the wine, the bread. search the documents. where is the station?",
};

type Profile = Map<string, number>;

/** Character 1- to 4-grams of each word, padded with spaces so that beginnings and endings count too. */
function grams(text: string): Profile {
  const p: Profile = new Map();
  for (const word of text.toLowerCase().normalize('NFC').split(/[^\p{L}'·ŉ]+/u)) {
    if (!word) continue;
    const w = ` ${word} `;
    for (let n = 1; n <= 4; n++) {
      for (let i = 0; i + n <= w.length; i++) {
        const g = w.slice(i, i + n);
        if (g.trim()) p.set(g, (p.get(g) ?? 0) + 1);
      }
    }
  }
  return p;
}

/**
 * Per variety: the log-probability of each gram, mixed with the pooled distribution of all samples (Jelinek-Mercer
 * smoothing), so that a variety with a shorter sample is neither favoured nor penalised for the grams it lacks.
 */
const LAMBDA = 0.6;
const profiles = (Object.entries(samples) as [Variety, string][]).map(([variety, text]) => {
  const counts = grams(text);
  let total = 0;
  for (const c of counts.values()) total += c;
  return { variety, counts, total };
});
const pooled: Profile = new Map();
let pooledTotal = 0;
for (const { counts } of profiles) {
  for (const [g, c] of counts) {
    pooled.set(g, (pooled.get(g) ?? 0) + c);
    pooledTotal += c;
  }
}
const floor = 0.1 / pooledTotal;
const models = profiles.map(({ variety, counts, total }) => ({
  variety,
  logp: (g: string) => Math.log(LAMBDA * ((counts.get(g) ?? 0) / total) + (1 - LAMBDA) * ((pooled.get(g) ?? 0) / pooledTotal) + floor),
}));

export interface Guess {
  variety: Variety;
  /** The probability of the best variety among the known ones, 0..1. */
  score: number;
  /** How far ahead of the runner-up, 0..1: short queries between close neighbours are often ambiguous. */
  margin: number;
}

/** Below this share of its letter trigrams known to some sample, a text is in no variety the guesser knows. */
export const MIN_KNOWN_TRIGRAMS = 0.4;
/** Below this probability for the best variety, the guess is "I don't know" rather than a coin toss. */
export const MIN_CONFIDENCE = 0.5;

/**
 * Guesses the variety of a query with a naive Bayes model over character n-grams (short queries have too few
 * trigrams for a profile distance to work). Undefined ("I don't know") when the text is too short to tell, when
 * most of its trigrams occur in no sample (`zzzqqqxxx` is no language: naive Bayes alone would still name the
 * least unlikely one), or when no variety is likely enough.
 */
export function guessVariety(text: string): Guess | undefined {
  const q = grams(text);
  let letters = 0;
  let trigrams = 0;
  let known = 0;
  for (const [g, c] of q) {
    if (g.length === 1) letters += c;
    if (g.length === 3) {
      trigrams += c;
      if (pooled.has(g)) known += c;
    }
  }
  if (letters < 4 || known < MIN_KNOWN_TRIGRAMS * trigrams) return undefined;
  const scored = models
    .map(({ variety, logp }) => {
      let sum = 0;
      for (const [g, c] of q) sum += c * logp(g);
      return { variety, log: sum };
    })
    .sort((a, b) => b.log - a.log);
  const best = scored[0]!.log;
  const weights = scored.map((s) => Math.exp(s.log - best));
  const z = weights.reduce((a, b) => a + b, 0);
  const p0 = weights[0]! / z;
  const p1 = (weights[1] ?? 0) / z;
  if (p0 < MIN_CONFIDENCE) return undefined;
  return { variety: scored[0]!.variety, score: p0, margin: p0 - p1 };
}
