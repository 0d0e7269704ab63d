"""Word lists that decide how much a name token is worth as evidence.

Three kinds of words are not distinctive of one company:

* **legal forms** ("Ltd", "GmbH", "JSC", "有限公司") say what kind of company it is, not which;
  they are set aside and never counted as evidence (rigour's org-type database reduces most
  of them to a generic class such as ``llc`` / ``jsc``; the extras below fill its gaps);
* **stopwords** ("of", "the", "and") carry nothing and are dropped;
* **generic words** describe a line of business or a place ("technology", "trading",
  "international", "electronics", "group", "holding", "shenzhen", "china"). Thousands of
  unrelated listed parties share them, so they are weak evidence: a match they alone carry is
  not a match (see ``match.py``'s generic-only guard).

The lists are curated by hand from the vocabulary of the public screening lists (CSL, OFAC
SDN, DoD 1260H) and ordinary business naming, not fitted to any labelled pairs. Frequency in
the lists alone is not used as a weight because some of the most frequent tokens there are
the most distinctive ("gazprom" has hundreds of subsidiaries listed).

``SYNONYMS`` maps spelling variants, abbreviations and translations of generic words onto one
canonical form, so "Sophgo Tech Ltd" and "SOPHGO TECHNOLOGIES LTD." compare token for token,
and so do "Banco Nacional de Cuba" and "National Bank of Cuba".

``everyday_words()`` are the common English words (wordfreq's, ``data/everyday_en.txt``): a
name that shares only one of them with another ("Target" / "Target Logistics") shares a
word many unrelated companies use as a brand.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_EVERYDAY_FILE = Path(__file__).with_name("data") / "everyday_en.txt"


@cache
def everyday_words() -> frozenset[str]:
    """The English words at Zipf frequency 3.5 or more (scripts/everyday_words.py)."""
    with _EVERYDAY_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if not line.startswith("#"))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Generic classes rigour's replace_org_types_compare(generic=True) emits, plus legal-form
# tokens (already tokenised, casefolded, ASCII) that its database misses. Its "fin" (a
# financial-institution type) is emitted for "N.A." and "National Association" (US banks),
# but also for the "N.A." of "named after" and the Slavic preposition "na" in Russian names
# ("Institute N.A. M.M. Gromov"): no list name has the word "fin" as written. The last line:
# Russian and Belarusian forms the lists write beside their English ("Kompaniya",
# "… Otkrytogo Tipa", "TAA" / "Limited Liability Company", "AKB" joint-stock commercial bank);
# then Swedish "aktiebolag" (Aktiebolagslagen 2005:551), a Russian state corporation
# ("goskorporatsiya": Federal Law 7-FZ, art. 7.1) and scientific-production corporations and
# enterprises ("NPK", "NPP", as "NPO" above); a joint (venture) closed joint-stock company,
# "SZAO", and "sovmestnoye" (joint) before "ZAO" written out (the SDN list's "SZAO ENERGO-OIL"
# / "SOVMESTNOYE ZAKRYTOYE AKTSIONERNOYE OBSHCHESTVO ENERGO-OIL", SDN 32732).
LEGAL_FORMS: frozenset[str] = _words(
    """
    llc jsc lp llp gp coop ngo soe plc sp
    ltd limited inc incorporated corp corporation co company cos companies
    coltd gmbh ag sa sas sarl srl spa bv nv oy ab as kk pty pvt pte bhd sdn tbk pt
    sherkat sherkate sharikat sharika
    fze fzc fzco fzllc pcl ulc cia ltda sac cjsc ojsc pjsc zao oao pao ao ooo tov
    fsue fgup gup mup ip npo nii pjs bsc psc
    obshchestvo obshestvo obschestvo obshcestvo ogranichennoi ogranichennoy
    otvetstvennostyu otvetstvennostiu aktsionernoe aktsionernoye otkrytoe zakrytoe publichnoe
    youxian gongsi youxiangongsi gufen
    korporatsiya korporatsiia korporatsii
    fin
    kompaniya kompaniia kompanii publichnoye otkrytogo zakrytogo tipa taa akb zat aktsionernoy aktsionernogo
    aktiebolag aktiebolaget
    goskorporatsiya goskorporatsiia goskorporatsii
    npk npp
    szao sovmestnoye sovmestnoe zakrytoye
    """
)

# Legal forms that are also words, names or initials ("Mu'asa", "AD" for a name, "Generation
# Z"): read as a legal form only where one is written, ending the name after its words
# ("Equinor ASA", "Meridies d.o.o.", "Inttraffic EOOD", "Grupo MBS Lda", "Sp. z o.o."). Each
# is a company type of the law it names: Norwegian ASA; Balkan d.o.o., a.d., d.d.; Bulgarian
# EOOD, OOD, EAD; Hungarian Zrt., Nyrt., Kft.; Spanish S.L., S.L.U., S.C.; Portuguese Lda;
# Mexican S.A.B. (de C.V.), S.C.A.; Estonian OÜ; Icelandic hf., ehf.; Slovak/Czech s.r.o. and
# "spol. s r.o." (Czech Act 90/2012 on Business Corporations, s. 132: "společnost s ručením
# omezeným", "spol. s r.o." or "s.r.o."; "spol." for "společnost", company);
# Kazakh TOO; Ukrainian PrAT, PAT; Polish sp. z o.o.; US LLLP; Russian NPC (a scientific-production
# corporation, as NPK in LEGAL_FORMS: "Kryptonit NPC"; also Iran's National Petrochemical Company);
# and "Liability" left of "Limited Liability" before another form ("… Limited Liability Ltd").
TRAILING_LEGAL_FORMS: frozenset[str] = _words(
    """
    asa doo ad dd eood ood ead zrt nyrt kft sl slu sc lda sab sca ou hf ehf sro spol too prat pat lllp npc
    liability
    """
)
# Legal forms of several words, read like TRAILING_LEGAL_FORMS ("z" and "o.o." alone are not),
# spelt out as the law names them where rigour's database has only the native script or the
# initials: the kinds of company of
# Japan's Companies Act (Kaisha-hō, art. 2(1): kabushiki, gōmei, gōshi, gōdō kaisha; "kaisha"
# is "gaisha" after another word) and the former yūgen kaisha; Greek "anonymi etaireia"
# (Law 4548/2018, 'ανώνυμη εταιρεία') and "etaireia periorismenis efthynis" (Law 3190/1955);
# Korea's Commercial Act, art. 170 (주식회사 jusik / chusik hoesa, 유한회사 yuhan hoesa);
# Indonesia's "perseroan terbatas" (Law 40/2007); Turkey's "anonim ortaklık" (the older name
# of the anonim şirket, Commercial Code 6102).
TRAILING_LEGAL_PHRASES: tuple[tuple[str, ...], ...] = (
    ("sp", "z", "oo"),
    ("s", "ro"),  # Czech "spol. s r.o." (the "s r.o." of it; "spol." is in TRAILING_LEGAL_FORMS)
    *((kind, kaisha) for kind in ("kabushiki", "gomei", "goshi", "godo", "yugen") for kaisha in ("kaisha", "gaisha")),
    ("anonymi", "etaireia"), ("anonymos", "etaireia"), ("anonimi", "etairia"),
    ("etaireia", "periorismenis", "efthynis"),
    ("jusik", "hoesa"), ("chusik", "hoesa"), ("yuhan", "hoesa"),
    ("perseroan", "terbatas"),
    # Iranian joint-stock companies, private and public (Commercial Code, art. 4: "sherkat-e
    # sahami-e khass", "sherkat-e sahami-e aam").
    ("sahami", "khass"), ("sahami", "khas"), ("sahami", "aam"), ("sahami", "am"),
    ("anonim", "ortakligi"),
    # "Sanayi ve Ticaret" (industry and trade) before a Turkish company's legal form, written
    # out or abbreviated ("… Sanayi ve Ticaret Limited Şirketi", "… San. ve Tic. A.Ş."): a
    # formula of its registered name, not the trading arm of a group ("ve": "and").
    *((industry, *and_, trade) for industry in ("sanayi", "san") for trade in ("ticaret", "tic")
      for and_ in ((), ("ve",))),
)

# The countries whose company law names a legal form as written (the initials each law's
# company type is written with: UK Companies Act 2006 plc and LLP; US "Inc."; Singapore Pte.
# Ltd.; Malaysian Sdn. Bhd.; German, Austrian and Swiss GmbH and AG; French, Belgian,
# Luxembourg and Swiss SARL and SA; Dutch and Belgian NV and BV; Italian S.p.A. and S.r.l.;
# Spanish S.L.; Latin American S.A. de C.V., Ltda., E.I.R.L.; Portuguese Lda.; Greek A.E.;
# Swedish and Finnish AB, Finnish Oy, Norwegian ASA, Danish ApS; Japanese K.K.; Russian OOO,
# AO, PAO, ZAO, OAO; Ukrainian TOV; Kazakh TOO; Australian and South African Pty). Two
# companies with one name and legal forms of no common country are two companies: a group's
# parts in two countries ("Aero Systems, Inc." / "Aero Systems Pte. Ltd.", "Unilever PLC" /
# "Unilever N.V."). English renderings a name may take in any country (LLC, JSC, Co., Ltd.,
# Limited, Corporation) are in none: they tell nothing.
FORM_COUNTRIES: dict[str, frozenset[str]] = {}
for _country, _forms in {
    "uk": "plc llp", "us": "inc incorporated", "sg": "pte", "my": "bhd sdn",
    "de": "gmbh ag kg", "at": "gmbh ag kg", "ch": "gmbh ag sa sarl",
    "fr": "sarl sas sa", "be": "sa nv bv bvba", "lu": "sa sarl", "nl": "nv bv", "it": "spa srl",
    "es": "sa sl slu", "latam": "sa sab cv ltda eirl srl", "pt": "sa lda", "gr": "sa ae", "pl": "sa",
    "se": "ab", "fi": "ab oy oyj", "no": "asa as", "dk": "as aps", "tr": "as", "jp": "kk",
    "ru": "ooo oao zao pao ao", "ua": "tov pat", "kz": "too", "au": "pty", "za": "pty",
}.items():
    for _form in _forms.split():
        FORM_COUNTRIES[_form] = FORM_COUNTRIES.get(_form, frozenset()) | {_country}

STOPWORDS: frozenset[str] = _words(
    """
    of the and for in on at to a an by with
    de del la las los el le les des du y e et und der die das von fuer para por con
    zur zum fur
    al wa s fi ol lil ar ash az ul ud
    no nr www number
    """
)

# Canonical generic words. Variants are listed in SYNONYMS and canonicalised first.
GENERIC_WORDS: frozenset[str] = _words(
    """
    technology science research institute university academy college school laboratory
    engineering development innovation design consulting management solution service system
    industry manufacturing production product factory plant works equipment machinery
    instrument device component material tool part
    electronics microelectronics semiconductor electric electrical optical optoelectronics
    photonics laser information digital software computer network communication telecom
    mobile intelligent smart automation control precision advanced power energy
    trade import export impex commerce commercial supply distribution logistics transport
    shipping freight cargo
    group holding enterprise investment capital finance financial fund bank insurance
    credit exchange partner associate agency office branch department bureau center
    general global universal united national federal state public private joint stock jv
    new modern star world applied micro nano data natural securities hosting
    motor automotive line venture equity asset infrastructure project contractor builder
    biotech therapeutics robotics express retail wholesale worldwide exploration drilling
    international overseas foreign
    oil gas petroleum petrochemical chemical mining metal steel construction
    aviation aerospace aircraft airline air marine maritime ship shipbuilding navigation
    defense military security nuclear space satellite
    organization association society foundation trust union council committee ministry concern
    headquarters establishment administration
    comercializadora inmobiliaria compania sociedad societe societa
    distribuidora constructora agropecuaria importadora exportadora
    leasing auto market supermarket
    property estate realty hotel resort travel tourism media broadcasting television tv radio
    news publishing printing agricultural farm food pharmaceutical medical health hospital
    education training textile garment jewellery gems gold mineral resource cement rubber
    aluminium aluminum copper nickel
    plastic paper timber furniture contracting boutique shop store
    charity charitable relief humanitarian aid welfare islamic
    complex money transfer
    keji jishu dianzi guoji maoyi jituan konggu shiye fazhan touzi gongye xinxi
    wangluo tongxin bandaoti yanjiusuo daxue
    """
)

# Generic words that say how a party is organised or styled, or are too broad to say what
# it does: another name adding only these ("Apex" / "APEX Systems", "Gamma" / "NPP Gamma"
# spelt out as "Research and Production Enterprise") describes no other business.
UNDESCRIPTIVE_WORDS: frozenset[str] = _words(
    """
    group holding enterprise association partner associate international global worldwide
    overseas foreign general universal united national federal state public private joint
    stock jv new modern star world research production science system
    """
)

# Generic words that name the kind of body a party is, or its parts ("Center", "Committee",
# "Fund", "Lines", "Industries"): another name adding one is the same body named more fully
# ("Palestine Relief Fund" / "Palestine Relief and Development Fund"), not another business.
INSTITUTION_WORDS: frozenset[str] = _words(
    """
    center organization committee council society foundation fund institute bureau office
    agency department line industry service development material union ministry
    establishment administration sociedad compania societe societa concern
    """
)

# Directions: places as far as names go ("China South" / "China North" are two parties), but
# a name's aliases add and drop them ("Central Bank of Russia" / "Bank of Russia").
DIRECTIONS = frozenset("north south east west northern southern eastern western central pacific".split())

# Cities and provinces (places, below) by the country they are in: a party listed as
# located in a country is located in each of them as far as a name can tell ("Sophgo
# (Beijing)" / the Entity List's Chinese Sophgo, located "CN").
PLACES_IN: dict[str, frozenset[str]] = {
    country: frozenset(places.split())
    for country, places in {
        "china": """beijing shanghai shenzhen guangzhou hangzhou tianjin wuhan chengdu xian nanjing
            chongqing dalian qingdao suzhou harbin changsha zhengzhou jinan xiamen zhuhai dongguan
            hefei shenyang wuxi ningbo fuzhou kunming guangdong jiangsu zhejiang sichuan shandong
            jiangxi shaanxi hubei hunan henan hebei fujian anhui liaoning""",
        "russia": "moscow petersburg novosibirsk vladivostok",
        "iran": "tehran",
        "northkorea": "pyongyang",
        "syria": "damascus aleppo",
        "libya": "benghazi",
        "uae": "dubai sharjah abudhabi dhabi",
        "us": "texas delaware nevada california florida newyork",
    }.items()
}

# Places (countries, provinces, major cities, directions): generic like the words above,
# and when two names each carry a place the other lacks ("(Tianjin)" / "(Beijing)",
# "China South" / "China North") they name different branches or subsidiaries.
PLACE_WORDS: frozenset[str] = _words(
    """
    china sino chinese zhongguo hong kong hongkong macau taiwan singapore
    russia russian iran iranian korea korean
    syria syrian uae emirates turkey pakistan india asia asian europe
    european america american usa uk inner mongolia northkorea arab
    ukraine ukrainian kyiv kharkiv odesa lviv dnipro zaporizhzhia mykolaiv belgrade cologne lisbon bucharest athens chisinau
    vilnius tallinn riga budapest crimea crimean belarus minsk kazakhstan uzbekistan armenia
    azerbaijan lebanon iraq yemen cuba venezuela mexico panama colombia malaysia
    indonesia thailand vietnam myanmar burma burmese afghanistan sudan libya somalia kenya
    tanzania ethiopia nigeria egypt saudi arabia qatar kuwait bahrain palestine palestinian
    germany german france french italy spain netherlands switzerland cyprus greece
    bulgaria latvia lithuania estonia poland czech hungary serbia
    us uae britain england scotland wales turkiye
    afghanistan africa albania algeria andorra angola anguilla antigua argentina aruba
    australia austria bahamas bangladesh barbados belgium belize benin bermuda bhutan
    bissau bolivia bosnia botswana brazil brunei burkina burundi cambodia cameroon canada
    cayman chile comoros congo croatia czechia denmark djibouti dominica ecuador eritrea
    eswatini fiji finland gabon gambia georgia ghana gibraltar greenland grenada guam
    guatemala guernsey guinea guyana haiti herzegovina honduras iceland ireland israel jamaica
    japan jersey jordan kiribati kyrgyzstan laos lesotho liberia liechtenstein luxembourg macao
    macedonia madagascar malawi maldives mali malta mauritania mauritius micronesia moldova
    monaco mongolia montenegro morocco mozambique namibia nauru nepal nicaragua niger norway
    oman palau paraguay peru philippines portugal qatar romania rwanda samoa senegal seychelles
    slovakia slovenia sweden tajikistan togo tonga tunisia turkmenistan tuvalu uganda uruguay
    vanuatu zambia zimbabwe bvi labuan
    london paris berlin frankfurt munich hamburg zurich geneva amsterdam rotterdam dublin
    madrid milan rome vienna prague warsaw istanbul ankara riyadh jeddah doha
    baghdad beirut cairo tripoli lagos nairobi johannesburg mumbai delhi bangalore karachi lahore
    dhaka bangkok hanoi jakarta manila kuala lumpur taipei hsinchu tokyo osaka seoul almaty
    tashkent baku tbilisi yerevan ontario quebec vancouver toronto sydney melbourne
    alabama alaska arizona arkansas colorado connecticut hawaii idaho illinois indiana iowa
    kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
    missouri montana nebraska ohio oklahoma oregon pennsylvania tennessee utah vermont
    virginia washington wisconsin wyoming newjersey newmexico newhampshire rhodeisland
    northcarolina southcarolina northdakota southdakota westvirginia
    """
)
PLACE_WORDS = PLACE_WORDS | DIRECTIONS | frozenset().union(*PLACES_IN.values())  # and those above
GENERIC_WORDS = GENERIC_WORDS | PLACE_WORDS


# Words after which a Roman numeral "I", "V" or "X" is a number ("Fund V" / "Fund 5"), and
# those after which a single letter tells one of a series of parties from the next ("Series
# A" / "Series B"): see normalize.py and match.py.
SERIES_WORDS: frozenset[str] = _words(
    """
    series class tranche fund funds partners partner trust capital investors ventures
    holdings holding phase unit block plant generation equity investments investment
    """
)
SERIES_LETTER_WORDS: frozenset[str] = _words("series class tranche")

# Multi-word places and their abbreviations, read as one token (after tokenisation, so
# "U.S." arrives as "us" and "U. S." as "u s").
PHRASES: dict[str, str] = {
    "united states": "us", "united states america": "us", "united states of america": "us",
    "u s": "us", "u s a": "us", "usa": "us",
    "united kingdom": "uk", "great britain": "uk", "u k": "uk",
    "united arab emirates": "uae", "u a e": "uae",
    "hong kong": "hongkong", "new york": "newyork", "n y": "newyork", "ny": "newyork", "abu dhabi": "abudhabi",
    "new jersey": "newjersey", "new mexico": "newmexico", "new hampshire": "newhampshire",
    "rhode island": "rhodeisland", "north carolina": "northcarolina", "south carolina": "southcarolina",
    "north dakota": "northdakota", "south dakota": "southdakota", "west virginia": "westvirginia",
    "south korea": "korea", "republic korea": "korea", "republic of korea": "korea",
    "democratic peoples republic of korea": "northkorea", "dprk": "northkorea",
    "north korea": "northkorea", "peoples republic of china": "china", "prc": "china",
    "russian federation": "russia", "islamic republic of iran": "iran",
    "joint venture": "jv", "j v": "jv",  # a kind of company, as "JV" or "J/V" abbreviates it (not a place)
    "syrian arab republic": "syria",
    "british virgin islands": "bvi", "cayman islands": "cayman",
    # "Rep." for "Republic", as vendor masters and the World Bank's country names write it
    # ("Iran, Islamic Rep.", "Korea, Rep.", "Korea, Dem. People's Rep.").
    "n korea": "northkorea", "s korea": "korea",
    "islamic rep of iran": "iran", "iran islamic rep": "iran", "korea rep": "korea", "rep of korea": "korea",
    "korea dem peoples rep": "northkorea", "dem peoples rep of korea": "northkorea",
    "democratic peoples rep of korea": "northkorea", "syrian arab rep": "syria",
    # Import and export, as one business word however written ("Import/Export", "I/E",
    # "Imp. & Exp."), like "Impex".
    "import export": "impex", "import and export": "impex", "imports exports": "impex",
    "importers exporters": "impex", "importers and exporters": "impex", "i e": "impex",
    "imp exp": "impex", "import exports": "impex",
    # rigour reads "Charity" as an organisation type (NGO), set aside like a legal form: so
    # are the Arabic "al-Birr", "Khairiya" and the English "Charitable", read as "charity".
    **dict.fromkeys("charitable birr khairiya khayriya khairia khairiyya khayriyya".split(), "charity"),
}

# Lines of business. Two names that each carry a business word the other lacks, from
# different lines ("Acme Oil" / "Acme Gas", "Acme Bank" / "Acme Insurance"), name different
# companies of one family, not one party (match.py). Words of one line do not conflict.
_SECTOR_LINES = """
    oil: oil petroleum neft petrol crude refinery refining drilling
    gas: gas gaz lng
    petrochemical: petrochemical chemical
    mining: mining mineral ore coal exploration
    metal: metal steel iron aluminium aluminum copper gold nickel
    bank: bank banco banque bankasi
    insurance: insurance assurance reinsurance
    shipping: shipping marine maritime ship shipbuilding freight cargo tanker
    airline: airline air aviation aircraft aerospace
    finance: finance financial credit leasing money exchange remittance
    transport: transport logistics rail railway
    telecom: telecom communication mobile
    electronics: electronics microelectronics semiconductor electric electrical optical photonics laser
    software: software digital information computer network internet data technology hosting
    power: power energy
    pharmaceutical: pharmaceutical medical health hospital biotech therapeutics
    food: food agricultural farm
    construction: construction cement contractor builder constructora
    trade: trade import export impex commerce commercial distribution supply wholesale retail
    trade: distribuidora comercializadora importadora exportadora
    consulting: consulting
    auto: auto motor automotive
    investment: investment venture equity capital
    hotel: hotel resort travel tourism
    media: media broadcasting television tv radio news publishing printing
    textile: textile garment
    defense: defense military armament weapon weapons munition munitions ammunition
"""
SECTORS: dict[str, str] = {
    word: line.partition(":")[0].strip()
    for line in _SECTOR_LINES.strip().splitlines()
    for word in line.partition(":")[2].split()
}

# canonical generic word: its variants (plural, abbreviation, other languages, other
# romanisations). One line per canonical word; a variant may appear only once. Chinese
# places have their postal romanisation (1906) too, which brands and old registrations keep
# ("Tsingtao Brewery", "Peking University"; Wikipedia, "Chinese postal romanization"), but
# not "Canton", also a Swiss and a French canton.
_SYNONYM_LINES = """
    technology: technologies tech techs technological technologie technologii
    technology: tekhnologii tekhnologiya techno tekh
    science: sciences scientific sci
    high: hi
    optical: optics
    research: researches res
    institute: institutes institut inst institution
    establishment: establishments est etablissement etablissements establecimiento
    administration: admin administracion administratsiya
    university: universities univ
    laboratory: laboratories lab labs
    engineering: engineer engineers eng engg
    development: developments dev developer
    innovation: innovations innovative
    intelligent: intelligence
    consulting: consultants consultant consultancy
    management: mgmt mgt menedzhment managing upravlyayushchaya mc
    solution: solutions
    service: services svc svcs servicio servicios servicos
    system: systems sys
    industry: industries industrial ind indus industria industrias industrie
    manufacturing: manufacture manufacturer manufacturers mfg mfr
    product: products
    factory: factories zavod plant plants
    equipment: equipments equip
    machinery: machine machines
    instrument: instruments
    device: devices
    component: components
    material: materials
    tool: tools
    part: parts
    electronics: electronic elec electron
    microelectronics: microelectronic
    semiconductor: semiconductors semi
    electric: electricity
    communication: communications comm comms
    telecom: telecommunication telecommunications telecoms
    network: networks
    trade: trading trader traders tradings
    import: imports importer importers
    export: exports exporter exporters
    commerce: commercio
    supply: supplies supplier suppliers
    logistics: logistic
    group: groups grp grupo gruppa grup
    holding: holdings hldg hldgs
    enterprise: enterprises entreprise entreprises empresa empresas predpriyatie
    investment: investments invest inversiones inversion investimentos
    partner: partners
    associate: associates
    center: centre centers centres centro tsentr
    international: intl internacional internationale int
    organization: organisation organizations organisations
    marine: maritime
    commercial: comercial commerciale
    defense: defence
    petroleum: petrol
    chemical: chemicals chem
    metal: metals metallic
    property: properties
    jewellery: jewelry
    mineral: minerals
    resource: resources
    plastic: plastics
    pharmaceutical: pharma pharmaceuticals
    agricultural: agro agriculture
    airline: airlines
    hongkong: hk
    foundation: fundacion fondation fundacao fond stichting stiftelse stiftung
    association: associations asociacion associacao obedinenie
    transport: transportes transporte transportation
    leasing: lizing
    auto: avto
    shenzhen: sz
    beijing: peking peiping
    tianjin: tientsin
    nanjing: nanking
    qingdao: tsingtao
    chongqing: chungking
    xiamen: amoy
    hangzhou: hangchow
    suzhou: soochow
    sichuan: szechwan szechuan
    guangdong: kwangtung
    fujian: fukien
    shandong: shantung
    jiangsu: kiangsu
    zhejiang: chekiang
    fuzhou: foochow
    shenyang: mukden
    dalian: dairen
    concern: kontsern
    kyiv: kiev kyyiv
    moscow: moskva
    belgrade: beograd
    kharkiv: kharkov
    odesa: odessa
    lviv: lvov
    dnipro: dnepr dnipropetrovsk dnepropetrovsk
    zaporizhzhia: zaporozhye zaporozhe zaporizhia zaporizhzhya
    mykolaiv: nikolaev nikolayev
    vienna: wien
    munich: munchen muenchen
    cologne: koln koeln
    prague: praha
    warsaw: warszawa
    lisbon: lisboa
    bucharest: bucuresti
    athens: athina
    tehran: teheran
    dubai: dubayy
    chisinau: kishinev
    tallinn: tallin
    mumbai: bombay
    pyongyang: phyongyang
    national: natl nationale nacional
    saint: st sankt
    mount: mt
    fort: ft
    brothers: bros
    department: dept
    government: govt
    market: mkt mkts marketplace markets
    russia: russian rossii rossiiskaya rossiyskaya rossiiskii rossiyskiy rossiyskii rossiiskoi
    russia: rossiyskoy rossiiskie rossiyskie rossiyskiye rossiiskoe rossiyskoe rossiiskoy
    china: chinese
    iran: iranian
    korea: korean
    syria: syrian
    ukraine: ukrainian
    crimea: crimean
    palestine: palestinian
    europe: european
    asia: asian
    germany: german deutsche deutscher deutsches deutschen deutschland
    switzerland: schweiz swiss
    japan: japanese
    uk: british
    turkey: turkish
    uae: emirati
    vietnam: vietnamese
    malaysia: malaysian
    singapore: singaporean
    iraq: iraqi
    lebanon: lebanese
    venezuela: venezuelan
    belarus: belarusian belarussian
    italy: italian
    netherlands: dutch
    spain: spanish
    sweden: swedish
    norway: norwegian
    denmark: danish
    finland: finnish
    canada: canadian
    mexico: mexican
    brazil: brazilian
    israel: israeli
    egypt: egyptian
    pakistan: pakistani
    yemen: yemeni
    libya: libyan
    sudan: sudanese
    nigeria: nigerian
    indonesia: indonesian
    taiwan: taiwanese
    kazakhstan: kazakh kazakhstani
    austria: osterreich oesterreich
    spain: espana
    netherlands: nederland
    sweden: sverige
    norway: norge
    denmark: danmark
    france: french
    science: nauk nauki wissenschaft wissenschaften
    society: gesellschaft
    airline: avialinii aviakompaniya
    motor: motors jidosha
    north: sever severny severnyy severnyi severnaya severnoye severnoe
    south: yuzhny yuzhnyy yuzhnyi yuzhnaya yuzhnoye yuzhnoe
    west: zapadny zapadnyy zapadnyi zapadnaya zapadnoye zapadnoe
    line: lines
    venture: ventures
    asset: assets
    project: projects
    contractor: contractors
    builder: builders
    airline: airways
    general: gen genl generale generali
    association: assn assoc
    american: amer
    insurance: ins insurances
    bank: bk banks
    product: prods prod
    center: ctr ctrs
    development: devel
    engineering: engrg engr
    investment: invts invt
    distribution: distr distrib
    securities: secs
    property: props
"""
# Generic words in the languages the screening lists and vendor files are most often written
# in (Spanish, Portuguese, French, German, Italian, Turkish, Persian and Russian as rigour
# transliterates them), read as the English word, so a name and its translation compare word
# for word: "Banco Nacional de Cuba" / "National Bank of Cuba", "Sanaye Havapeyma Sazi" /
# "Aircraft Manufacturing Industries", "Krupp Stahl" / "Krupp Steel". Only words that name a
# kind of business, never a word that is itself a common proper name ("Tejarat", "Melli",
# "Neft" stay distinctive: "Bank Tejarat", "Gazprom Neft").
_TRANSLATED_LINES = """
    bank: banco banque banca bankasi bankas banka
    technology: tecnologia tecnologias tecnologica tecnologico technik
    advanced: avanzada avanzadas avanzado avanzados avancada avancadas avance avancee
    mining: minera minero mineria mineracao miniere madencilik bergbau gornodobyvayushchaya
    petroleum: petroleos petroleo petroles petrolera petrolifera
    oil: neftyanaya neftyanoy neftyanoi neftianaia naft nk
    shipping: naviera naviero navigazione kashtirani
    insurance: seguros seguro assurances versicherung sigorta strakhovaya strahovaya bimeh
    steel: stahl acero celik
    energy: energia energie enerji energetika
    chemical: quimica quimicos quimicas chimie chimique chimica chemie kimya khimicheskaya
    electronics: electronica electronique elektronik
    electric: electrica electrico elektrik
    industry: sanaye sanayi sanat sanaat sanayeh sanati
    trade: ticaret handels handel torgovy torgovyi torgovaya torgovoe comercio bazargani
    construction: construcciones construccion construcoes insaat
    engineering: ingenieria ingenierie ingegneria
    research: investigacion recherche ricerca
    group: groupe gruppe gruppo
    system: sistemas systemes
    investment: yatirim
    food: alimentos alimentaire gida
    textile: tekstil textil
    aircraft: havapeyma
    aviation: havapeymaei havapaymaei
    marine: daryaei daryayi
    production: tolid tolidi
    service: khadamat
    construction: sakhteman sakhtemani sazandegi
    headquarters: gharargah gharargahe
    foundation: bonyad
    institute: moassese moasseseh
    university: daneshgah
    center: markaz
    research: pazhuhesh pajohesh
    petrochemical: petroshimi
    technology: fanavari
    engineering: mohandesi
    manufacturing: sazi
    organization: sazman sazeman
    pharmaceutical: farmaceutica farmaceutico
    aviation: aviacion aviacao
    airline: aerolineas
    machinery: maschinenbau mashin
    telecom: telecomunicaciones telecomunicacoes
    development: desarrollo developpement
    relief: ighatha ighathat
    islamic: islamiya islamiyya islamia islamiyah islamiyyah
    association: jamiyat jamiyya jamiyyat jamiat
    foundation: muassasat muassasa muassassat
    committee: lajnat lajna
    commercial: tijariya tijariyya tijaria
    trade: tijara
    school: madrasa madrassa madrasah madrassah
    construction: costruzioni bouw bau
    transport: trasporti
    insurance: assicurazioni
    national: nazionale
    international: internazionale
    electronics: elettronica
    electric: elettrica elettrico elektro
    technology: tecnologie
    service: servizi
    system: sistemi
    research: ricerche
    steel: acciaierie acciaio
    petroleum: petroli
    pharmaceutical: farmaceutici
    food: alimentari
    textile: tessile
    logistics: logistik
    works: werke werk
    factory: fabrik fabriek
    machinery: maschinen
    management: beheer
    group: groep
    royal: koninklijke koninklijk
"""
# Pinyin and Russian (as rigour transliterates it) spellings of generic words, read as the
# English word, so a name written in pinyin or transliterated Russian compares with its
# Chinese or Cyrillic original (whose terms CJK_TERMS reads as English) and its English form:
# "Dajiang Keji" / "大疆科技" / "Dajiang Technology". Pinyin only for the terms in CJK_TERMS.
_TRANSLITERATED_LINES = """
    technology: keji jishu tehnologii tehnologiya
    electronics: dianzi elektronika elektronnye
    microelectronics: weidianzi mikroelektronika
    international: guoji mezhdunarodny mezhdunarodnyi mezhdunarodnaya mezhdunarodnoe
    trade: maoyi
    industry: shiye chanye gongye promyshlennaya promyshlenny promyshlennyi
    development: fazhan
    investment: touzi
    information: xinxi
    network: wangluo
    communication: tongxin tongxun svyaz svyazi
    air: vozdushno vozdushnoi vozdushnoy vozdushnaya vozdushnyi
    space: kosmicheskoi kosmicheskoy kosmicheskaya kosmicheskii kosmicheskiy kosmicheskikh
    defense: oborony oboronnoi oboronnoy oboronnaya oboronnyi oboronnyy oboronnye
    management: upravlenie upravleniye upravleniya
    laboratory: laboratoriya laboratoriia laboratorii
    asset: aktivami aktivov
    north: severo
    west: zapad
    semiconductor: bandaoti
    manufacturing: zhizao
    equipment: shebei
    institute: yanjiusuo yanjiuyuan
    university: daxue universitet
    group: jituan
    holding: konggu
    aviation: hangkong aviatsionnaya aviatsionny
    investment: investitsionnaya investitsionnyi investitsionny investitsionnoe
    international: mezhdunarodnyy
    airport: airports aeroport aeroporta
    central: tsentralny tsentralnyi tsentralnyy tsentralnaya tsentralnoe
    civil: grazhdanskaya grazhdanskie grazhdanskiy grazhdanskii
    aircraft: samolety samolet
    metal: metallurgical metallurgy metallurgicheskiy metallurgicheskii metallurgichesky metallurgicheskaya
    metal: metallurgicheskoe metallurgicheskogo metallurgiya metallurgii
    machinery: mechanical mekhanicheskiy mekhanicheskii mekhanichesky mekhanicheskaya mekhanicheskoe
    optical: opticheskiy opticheskii opticheskaya opticheskoe optiko
    helicopter: helicopters vertolety vertolet vertoletny vertoletnyi vertoletnyy vertoletnaya
    aerospace: hangtian
    china: zhongguo
    state: gosudarstvennaya gosudarstvennyi gosudarstvenny gosudarstvennoe
    national: natsionalnaya natsionalny natsionalnyi
    federal: federalnaya federalny federalnoe
    research: issledovatelsky issledovatelskii issledovatelskiy issledovatelskaya issledovatelskoe
    research: nauchno nauchnoe nauchnaya nauchnyi nauchny
    production: proizvodstvennoe proizvodstvennaya proizvodstvennoye proizvodstvennyi proizvodstvenny
    insurance: strakhovanie strakhovoy strakhovoi strahovanie
    united: obedinyonnaya obedinennaya obedinenny obedinennyi
    system: sistemy sistema
    academy: akademiya akademiia
    energy: energiya energo
    service: servis
    engineering: inzhiniring
    shipbuilding: sudostroitelnaya sudostroitelny
    construction: stroitelnaya stroitelny
    bank: yinhang
    petroleum: shiyou
    engineering: gongcheng
    optoelectronics: guangdian
    precision: jingmi
    instrument: yiqi
    equipment: zhuangbei
    ship: chuanbo
    property: fangdichan
    chemical: huagong
    energy: nengyuan
    power: dianli
    mining: kuangye
    steel: gangtie
    machinery: jixie
    auto: qiche
    construction: jianshe jianzhu
    logistics: wuliu
    shipping: hangyun haiyun
    software: ruanjian
    television: tv
    mobile: yidong
    telecom: dianxin
    insurance: baoxian
    finance: jinrong finans financial
    pharmaceutical: yiyao
    agricultural: nongye
    electric: dianqi
    material: cailiao
    system: xitong
    memory: cunchu
    design: sheji
    united: lianhe
"""


def _parse_synonyms(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in text.strip().splitlines():
        canonical, colon, variants = line.partition(":")
        if not colon:
            raise ValueError(f"synonym line without a colon: {line!r}")
        for variant in variants.split():
            if variant in table:
                raise ValueError(f"synonym {variant!r} listed twice")
            table[variant] = canonical.strip()
    return table


SYNONYMS: dict[str, str] = _parse_synonyms(
    "\n".join(lines.strip() for lines in (_SYNONYM_LINES, _TRANSLATED_LINES, _TRANSLITERATED_LINES))
)
# The generic words of other languages among them, as written in Latin script.
FOREIGN_SYNONYMS: dict[str, str] = _parse_synonyms(
    "\n".join(lines.strip() for lines in (_TRANSLATED_LINES, _TRANSLITERATED_LINES))
)

# Chinese (simplified and traditional) and Japanese terms replaced by an English token
# before transliteration: legal forms and generic words are recognised, and the rest of a
# run of Han characters (the distinctive part) is transliterated as one pinyin token.
CJK_TERMS: dict[str, str] = {
    "股份有限公司": "jsc",
    "有限责任公司": "llc",
    "有限責任公司": "llc",
    "有限公司": "ltd",
    "株式会社": "kk",
    "公司": "co",
    "集团": "group",
    "集團": "group",
    "控股": "holding",
    "科技": "technology",
    "技术": "technology",
    "技術": "technology",
    "微电子": "microelectronics",
    "微電子": "microelectronics",
    "电子": "electronics",
    "電子": "electronics",
    "国际": "international",
    "國際": "international",
    "贸易": "trade",
    "貿易": "trade",
    "进出口": "import export",
    "進出口": "import export",
    "实业": "industry",
    "产业": "industry",
    "產業": "industry",
    "實業": "industry",
    "工业": "industry",
    "工業": "industry",
    "发展": "development",
    "發展": "development",
    "投资": "investment",
    "投資": "investment",
    "信息": "information",
    "资讯": "information",
    "資訊": "information",
    "网络": "network",
    "網絡": "network",
    "通信": "communication",
    "通讯": "communication",
    "通訊": "communication",
    "半导体": "semiconductor",
    "半導體": "semiconductor",
    "制造": "manufacturing",
    "製造": "manufacturing",
    "设备": "equipment",
    "設備": "equipment",
    "存储": "memory",
    "存儲": "memory",
    "集成电路": "integrated circuit",
    "集成電路": "integrated circuit",
    "積體電路": "integrated circuit",  # Taiwan's word for it (TSMC's 台灣積體電路製造)
    "台湾": "taiwan",
    "台灣": "taiwan",
    "臺灣": "taiwan",
    "设计": "design",
    "設計": "design",
    "联合": "united",
    "聯合": "united",
    "研究所": "institute",
    "研究院": "institute",
    "大学": "university",
    "大學": "university",
    "中国": "china",
    "中國": "china",
    "香港": "hong kong",
    "北京": "beijing",
    "上海": "shanghai",
    "深圳": "shenzhen",
    "广州": "guangzhou",
    "廣州": "guangzhou",
    "杭州": "hangzhou",
    "天津": "tianjin",
    "武汉": "wuhan",
    "成都": "chengdu",
    "南京": "nanjing",
    "重庆": "chongqing",
    "青岛": "qingdao",
    "苏州": "suzhou",
    "厦门": "xiamen",
    "新加坡": "singapore",
    "西安": "xian",
    "大连": "dalian",
    "合肥": "hefei",
    "沈阳": "shenyang",
    "长沙": "changsha",
    "浙江": "zhejiang",
    "江苏": "jiangsu",
    "广东": "guangdong",
    "四川": "sichuan",
    "山东": "shandong",
    "江西": "jiangxi",
    "陕西": "shaanxi",
    "湖北": "hubei",
    "湖南": "hunan",
    "河南": "henan",
    "河北": "hebei",
    "福建": "fujian",
    "安徽": "anhui",
    "辽宁": "liaoning",
    "航空": "aviation",
    "航天": "aerospace",
    "防务": "defense",
    "银行": "bank",
    "銀行": "bank",
    "石油": "petroleum",
    "化工": "chemical",
    "天然气": "natural gas",
    "天然氣": "natural gas",
    "能源": "energy",
    "电力": "power",
    "電力": "power",
    "矿业": "mining",
    "礦業": "mining",
    "钢铁": "steel",
    "鋼鐵": "steel",
    "机械": "machinery",
    "機械": "machinery",
    "汽车": "auto",
    "汽車": "auto",
    "建设": "construction",
    "建設": "construction",
    "建筑": "construction",
    "物流": "logistics",
    "航运": "shipping",
    "航運": "shipping",
    "海运": "shipping",
    "软件": "software",
    "軟件": "software",
    "移动": "mobile",
    "移動": "mobile",
    "电信": "telecom",
    "電信": "telecom",
    "保险": "insurance",
    "保險": "insurance",
    "金融": "finance",
    "医药": "pharmaceutical",
    "醫藥": "pharmaceutical",
    "农业": "agricultural",
    "電氣": "electric",
    "电气": "electric",
    "材料": "material",
    "系统": "system",
    "工程": "engineering",
    "光电": "optoelectronics",
    "光電": "optoelectronics",
    "精密": "precision",
    "仪器": "instrument",
    "儀器": "instrument",
    "装备": "equipment",
    "裝備": "equipment",
    "船舶": "ship",
    "房地产": "property",
    "房地產": "property",
    "系統": "system",
    "数字": "digital",
    "數字": "digital",
    "数据": "data",
    "數據": "data",
    "智能": "intelligent",
    "计算机": "computer",
    "計算機": "computer",
    "自动化": "automation",
    "自動化": "automation",
    "证券": "securities",
    "證券": "securities",
    "服务": "service",
    "服務": "service",
    "咨询": "consulting",
    "諮詢": "consulting",
    "管理": "management",
    "商贸": "trade",
    "商貿": "trade",
    "食品": "food",
    "中心": "center",
    "实验室": "laboratory",
    "實驗室": "laboratory",
    "工程局": "engineering bureau",
    # A branch office ("上海分公司", "Shanghai Branch"): read as the branch phrase it is.
    "分公司": "branch",
}
# Korean (Hangul) business words, legal forms and places, read as the English word the lists
# write for them: North Korean parties are listed by their names translated ("조선광업개발무역회사",
# Korea Mining Development Trading Corporation; "단천상업은행", Tanchon Commercial Bank), South
# Korean companies by their brand and the English for the rest ("삼성전자", Samsung Electronics).
# Korea's Commercial Act names 주식회사 (jusik hoesa, a joint-stock company) and 유한회사 (yuhan
# hoesa, a limited company); 조선 (Choson) is Korea as the North names it, 대한민국 the South.
CJK_TERMS.update({
    "주식회사": "jsc", "유한회사": "ltd", "총회사": "general co", "회사": "co", "합영회사": "joint venture co",
    "조선": "korea", "대한민국": "korea", "한국": "korea", "국제": "international",
    "은행": "bank", "상업": "commercial", "무역": "trade", "광업": "mining", "개발": "development",
    "공업": "industry", "산업": "industry", "전자": "electronics", "기술": "technology", "화학": "chemical",
    "해운": "shipping", "수출입": "impex", "합영": "joint venture", "연합": "union", "그룹": "group",
    "보험": "insurance", "투자": "investment", "건설": "construction", "중공업": "heavy industry",
    "철강": "steel", "석유": "petroleum", "항공": "airline", "통신": "telecom", "반도체": "semiconductor",
    "에너지": "energy", "평양": "pyongyang", "서울": "seoul",
})
# "深圳市" (Shenzhen City): the city suffix 市 is dropped after a known city.
CJK_TERMS.update(
    {han + "市": latin for han, latin in list(CJK_TERMS.items()) if latin in GENERIC_WORDS}
)

# Persian words the lists write either way, as a name ("BANK MELLI IRAN", "BANK KESHAVARZI",
# "BANK SADERAT") or translated ("National Iranian Oil Company", "Agricultural Bank of Iran",
# "Export Development Bank of Iran"): kept as transliterated words, which also pair with this
# English word (tokens.token_similarity).
ARABIC_SCRIPT_EITHER: dict[str, str] = {
    "ملی": "national",
    "کشاورزی": "agricultural",
    "صادرات": "export",
    "توسعه": "development",
    "رفاه": "welfare",
    "تعاون": "cooperative",
}
# Arabic and Persian words (the Arabic article "ال" taken off) read as the English word, for
# names written in that script: "مصرف سورية المركزي" / "Central Bank of Syria", "سازمان انرژی
# اتمی ایران" / "Atomic Energy Organization of Iran". Only words whose English form the lists
# write, not a Latin spelling of the word: other words are matched by their consonants
# (tokens.ABJAD_SIMILARITY), business words also against the transliterated ones above
# ("بنیاد" / "Bonyad" / "foundation"). Words the lists keep as names stay out: Persian "ملی"
# (Melli), "ملت" (Mellat), "تجارت" (Tejarat), "صادرات" (Saderat), "مرکزی" (Markazi), as
# "Bank Melli Iran" is how the lists write that bank (those they also translate are in
# ARABIC_SCRIPT_EITHER). Places here are the generic words the
# vocabulary has: a transliterated word pairs with no generic word by its consonants ("ملت"
# has those of "Malta").
ARABIC_SCRIPT_TERMS: dict[str, str] = {
    "مصرف": "bank",
    "بنك": "bank",
    "بانک": "bank",
    "شركة": "company",  # a legal form, as "company" is
    "شرکت": "company",
    "مؤسسة": "foundation",  # Arabic mu'assasa, as "muassasat" above
    "خيرية": "charity",  # al-khairiya, an organisation type as "charity" (PHRASES)
    "خيريه": "charity",
    "موسسه": "institute",  # Persian moassese, as "moassese" above
    "مؤسسه": "institute",
    "مركزي": "central",  # Arabic spelling; the Persian "مرکزی" is the name "Markazi"
    "تجاري": "commercial",
    "تجارية": "commercial",
    "تجارة": "trade",  # its consonants are those of "tijariya" (commercial) too
    "و": "and",
    "دولي": "international",
    "دولية": "international",
    "استثمار": "investment",
    "نقل": "transport",
    "غاز": "gas",
    "صناعة": "industry",
    "صناعات": "industry",
    "صنایع": "industry",  # Persian sanaye (industries), as "sanaye" above
    "صنعت": "industry",
    "الکترونیک": "electronics",  # Persian elektronik: its "ال" is no article (looked up as written first)
    "نفتکش": "tanker",  # Persian naftkesh, an oil tanker
    "کشتیرانی": "shipping",  # Persian kashtirani, as above
    "اسلامی": "islamic",
    "هندسية": "engineering",
    "محدودة": "limited",  # a legal form, as "limited" is
    "وطني": "national",
    "وطنية": "national",
    "طيران": "aviation",
    "هواپیمایی": "aviation",
    "انرژی": "energy",
    "طاقة": "energy",
    "اتمی": "atomic",
    "ذرية": "atomic",
    "جمهوری": "republic",
    "جمهورية": "republic",
    "عربي": "arab",
    "عربية": "arab",
    "ایران": "iran",
    "إيران": "iran",
    "سوريا": "syria",
    "سورية": "syria",
    "سوري": "syria",
    "عراق": "iraq",
    "لبنان": "lebanon",
    "قطر": "qatar",
    "مصر": "egypt",
    "يمن": "yemen",
    "افغانستان": "afghanistan",
    "تهران": "tehran",
    "طهران": "tehran",
    "دمشق": "damascus",
    "بغداد": "baghdad",
    "بيروت": "beirut",
    "دبي": "dubai",
    "دبی": "dubai",
}

