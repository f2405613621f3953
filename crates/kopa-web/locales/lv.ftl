# Kopa saskarne, latviski. Katra atslēga ir arī failā en.ftl.

## Ietvars
skip-to-content = Pāriet uz saturu
nav-label = Galvenā izvēlne
nav-home = Pārskats
nav-meetings = Sanāksmes
nav-ideas = Idejas
nav-initiatives = Iniciatīvas
nav-group = Vietējā rīcības grupa
nav-stakeholders = Ieinteresēto pušu karte
nav-accounts = Konti
nav-audit = Audita žurnāls
switch-language = English
sign-in = Pieteikties
sign-out = Iziet
sign-in-hint = Jauni dalībnieki saņem uzaicinājuma saiti no koordinatora.
footer-about = Kopa — pašvaldības un uzņēmēji kopā plāno zaļo mobilitāti.
back-home = Uz sākumlapu
save = Saglabāt
remove = Dzēst
actions = Darbības
example-marker = piemērs
form-has-errors = Lūdzu, izlabojiet:
pagination = Lapas
page-previous = Iepriekšējā lapa
page-next = Nākamā lapa
lead-partner = Vadošais partneris

## Tīkls un darba vieta
network-title = Partnerpilsētas
network-intro = Katra partnerpilsēta strādā savā darba vietā: tās vietējā rīcības grupa, sanāksmes un lēmumi.
home-upcoming = Gaidāmās sanāksmes
home-no-upcoming = Nav plānotu sanāksmju.
home-decisions = Lēmumi
home-no-decisions = Lēmumi vēl nav reģistrēti.
home-recent = Nesenās sanāksmes

## Mēneši
month-1 = janv.
month-2 = febr.
month-3 = marts
month-4 = apr.
month-5 = maijs
month-6 = jūn.
month-7 = jūl.
month-8 = aug.
month-9 = sept.
month-10 = okt.
month-11 = nov.
month-12 = dec.

## Valstis
country-IT = Itālija
country-SK = Slovākija
country-BG = Bulgārija
country-ES = Spānija
country-FR = Francija
country-HR = Horvātija
country-HU = Ungārija
country-LV = Latvija
country-PT = Portugāle

## Grupa
group-intro = Pastāvīgā vietējā rīcības grupa izvērtē projekta galvenos jautājumus, rada idejas un koordinē darbības.
group-bodies = Grupas sastāvs
group-organisations = Organizācijas
body-management_group = Projekta vadības grupa
body-core = Grupas kodols
body-wider = Plašākā grupa
body-empty = Pagaidām neviena.
organisations-none = Organizāciju vēl nav.
organisation-add = Pievienot organizāciju
organisation-name = Organizācija
organisation-sector = Sektors
organisation-registration = Reģistrācijas numurs
organisation-website = Tīmekļvietne
sector-public = Publiskais
sector-business = Uzņēmējdarbība
sector-civic = Nevalstiskais
sector-knowledge = Zinātne un izglītība
sector-resident = Iedzīvotāji
person-add = Pievienot personu
person-name = Vārds, uzvārds
person-email = E-pasts
person-organisation = Organizācija
person-position = Amats
person-body = Grupas daļa
person-no-body = (nav grupas sastāvā)
person-no-organisation = (nav)
membership-role = Loma grupā
membership-since = Dalībnieks kopš
membership-status = Statuss
membership-current = pašreizējs
membership-add = Pievienot dalību
membership-end = Beigt dalību
membership-until = Dalībnieks līdz
membership-past = bijušais

## Ieinteresētās puses
stakeholders-intro = Cik lielas ietekmes iespējas katrai organizācijai ir uz plānu un cik tā ir ieinteresēta — un kā grupa to iesaista.
stakeholders-matrix = Ietekmes un intereses matrica
stakeholders-matrix-desc = Režģis pieci reiz pieci. Interese pieaug pa labi, ietekme pieaug uz augšu. Katrs numurētais aplis ir organizācija no tabulas zemāk.
stakeholders-caption = Numuri atbilst tabulai. Iesvītrotais kvadrants ir liela ietekme un liela interese.
stakeholders-table = Izvērtētās ieinteresētās puses
stakeholder-assess = Izvērtēt ieinteresēto pusi
stakeholder-power = Ietekme (1–5)
stakeholder-interest = Interese (1–5)
stakeholder-strategy = Iesaistes stratēģija
stakeholder-note = Piezīme
strategy-manage_closely = Cieša sadarbība
strategy-keep_satisfied = Uzturēt apmierinātību
strategy-keep_informed = Informēt
strategy-monitor = Vērot
strategy-suggested = (pēc kvadranta)

## Sanāksmes
meetings-upcoming = Gaidāmās
meetings-past = Notikušās
meetings-none = Sanāksmju nav.
calendar-feed = Kalendāra plūsma (iCal)
calendar-file = Pievienot kalendāram (iCal)
meeting-new = Jauna sanāksme
meeting-edit = Labot sanāksmi
meeting-title = Nosaukums
meeting-when = Laiks
meeting-starts = Sākums
meeting-ends = Beigas
meeting-kind = Veids
meeting-mode = Norise
meeting-link = Tiešsaistes saite
meeting-place = Vieta
meeting-capacity = Vietu skaits
meeting-capacity-hint = Atstājiet vietu skaitu tukšu, ja tas nav ierobežots. Pieteikumi pāri tam nonāk gaidīšanas sarakstā.
meeting-registration-open = Pieteikšanās ir atvērta
meeting-published = Publicēta: sanāksmi var redzēt ikviens
meeting-decisions = Lēmumi
meeting-registered = Pieteikušies
meeting-waiting-short = gaida
meeting-internal = iekšēja
meeting-visibility = Redzamība
meeting-kind-group = Grupas sanāksme
meeting-kind-transnational = Starptautiska sanāksme
meeting-kind-public_discussion = Publiska diskusija
meeting-mode-online = Tiešsaistē
meeting-mode-in_person = Klātienē
meeting-mode-hybrid = Hibrīdā
speakers = Runātāji
speakers-none = Runātāji nav norādīti.
speaker-add = Pievienot runātāju
speaker-name = Vārds, uzvārds
speaker-affiliation = Pārstāvētā iestāde
speaker-topic = Tēma
agenda = Darba kārtība
agenda-none = Darba kārtība ir tukša.
agenda-add = Pievienot darba kārtības punktu
agenda-item-title = Punkts
agenda-parent = Zem
agenda-top-level = (augšējais līmenis)
agenda-presenter = Ziņotājs
agenda-duration = Ilgums minūtēs
minutes-count = { $count } min
decisions = Lēmumi
decisions-none = Lēmumi nav reģistrēti.
decision-add = Reģistrēt lēmumu
decision-text = Lēmums
votes = Balsojums
votes-for = Par
votes-against = Pret
votes-abstain = Atturas
outcome-adopted = Pieņemts
outcome-rejected = Noraidīts
outcome-unanimous = vienbalsīgi
minutes = Protokols
minutes-none = Protokola vēl nav.
minutes-edit = Rakstīt protokolu
registration = Pieteikšanās
registration-count = { $count ->
    [0] Neviens vēl nav pieteicies.
    [zero] Pieteikušies { $count } cilvēku.
    [one] Pieteicies { $count } cilvēks.
   *[other] Pieteikušies { $count } cilvēki.
}
registration-waiting-count = Gaidīšanas sarakstā: { $count }.
registration-seats-left = Brīvas vietas: { $count }.
registration-name = Vārds, uzvārds
registration-email = E-pasts
registration-submit = Pieteikties sanāksmei
registration-closed = Pieteikšanās ir slēgta.
registration-confirmed = Jūs esat pieteicies.
registration-waiting = Vietu vairs nav: jūs esat gaidīšanas sarakstā un saņemsiet vietu, ja tāda atbrīvosies.
registration-status = Statuss
registration-status-confirmed = Apstiprināts
registration-status-waiting = Gaidīšanas sarakstā
registration-cancel = Atcelt pieteikumu
registrations = Pieteikumi
attendance = Apmeklējums
attended-yes = piedalījās
attended-no = nav atzīmēts
attended-mark = Atzīmēt kā piedalījušos
attended-undo = Atsaukt

## Konti
account-name = Vārds
account-email = E-pasts
account-password = Parole
account-role = Loma
accounts-list = Šīs darba vietas konti
role-admin = Administrators
role-auditor = Revidents (lasa tikai revīzijas paketes)
role-coordinator = Koordinators
role-member = Grupas dalībnieks
role-partner = Uzņēmējs partneris
role-public = Iedzīvotājs
invitations = Uzaicinājumi
invitations-none = Uzaicinājumu vēl nav.
invitation-new = Uzaicināt
invitation-send = Izveidot uzaicinājumu
invitation-sent = Nosūtīts
invitation-status = Statuss
invitation-open = atvērts
invitation-accepted = pieņemts
invitation-created = Uzaicinājums izveidots.
invitation-pass-on = E-pasta serveris nav iestatīts, tāpēc nosūtiet šo vienreizējo saiti paši. Tā ir ierakstīta arī servera žurnālā.
invitation-link = Uzaicinājuma saite
invitation-title = Uzaicinājums
invitation-heading = Pievienojieties { $workspace } darba vietai Kopa
invitation-for = Uzaicinājums adresei { $email }
invitation-accept = Izveidot kontu

## Audits
audit-intro = Katrs labojums — kas, kad un ko mainīja, ar ierakstu pirms un pēc. Katrs ieraksts ar jaucējkodu piesaistīts iepriekšējam, tāpēc saglabātā žurnāla labojums tiek atklāts.
audit-verify = Pārbaudīt visu ķēdi
audit-intact = Ķēde ir vesela.
audit-broken = Ķēde ir pārrauta:
audit-checked = Pārbaudīti { $count } ieraksti.
audit-when = Kad
audit-who = Kas
audit-action = Darbība
audit-what = Ieraksts
audit-details = Sīkāk
audit-show = Rādīt
audit-before = Pirms
audit-after = Pēc
audit-hash = Jaucējkods
audit-action-create = izveidoja
audit-action-update = mainīja
audit-action-delete = dzēsa

## Kļūdas
error-title-not-found = Nav atrasts
error-title-forbidden = Nav atļauts
error-title-bad-request = Pieprasījumu nevar apstrādāt
error-title-internal = Radās kļūda
error-not-found = Šādas lapas vai ieraksta nav.
error-forbidden = Jūsu loma šajā darba vietā to neatļauj.
error-sign-in-required = Lūdzu, vispirms piesakieties.
error-sign-in-failed = E-pasts vai parole nav pareiza.
error-too-many-attempts = Pārāk daudz neveiksmīgu pieteikšanās mēģinājumu. Lūdzu, pagaidiet 15 minūtes un mēģiniet vēlreiz.
error-csrf = Veidlapa ir novecojusi vai nākusi no citas vietnes. Pārlādējiet lapu un mēģiniet vēlreiz.
error-too-large = Pieprasījums ir pārāk liels.
error-not-utf8 = Iesniegtais teksts nav derīgā UTF-8 kodējumā.
error-bad-form = Veidlapu nevar nolasīt.
error-bad-request = Pieprasījumu nevar nolasīt.
error-media-type = Sūtiet pieprasījuma saturu kā application/json.
error-method = Šī adrese nepieņem šādu metodi.
error-internal = Serverim neizdevās to apstrādāt. Nekas netika mainīts; lūdzu, mēģiniet vēlreiz.
error-invalid = Daži lauki nav derīgi.
error-required = Šis lauks ir obligāts.
error-too-long = Teksts ir pārāk garš.
error-email = Ievadiet e-pasta adresi, piemēram, vards@piemers.lv.
error-email-taken = Konts ar šo e-pastu jau ir.
error-number = Ievadiet veselu skaitli.
error-out-of-range = Skaitlis ir ārpus atļautajām robežām.
error-choice = Izvēlieties vienu no iespējām.
error-date = Ievadiet datumu formātā GGGG-MM-DD.
error-datetime = Ievadiet datumu un laiku.
error-ends-before-start = Beigām jābūt pēc sākuma.
error-url = Ievadiet pilnu tīmekļa adresi, kas sākas ar https://.
error-link-needed = Tiešsaistes vai hibrīda sanāksmei vajag saiti.
error-place-needed = Klātienes vai hibrīda sanāksmei vajag vietu.
error-no-votes = Reģistrējiet vismaz vienu balsi.
error-already-registered = Šis e-pasts jau ir pieteikts šai sanāksmei.
error-registration-closed = Pieteikšanās šai sanāksmei ir slēgta.
error-name-taken = Organizācija ar šādu nosaukumu jau ir.
error-unknown = Šāda ieraksta šajā darba vietā nav.
error-password = Paroli nevar saglabāt.
error-password-short = Izmantojiet vismaz 10 rakstzīmes.
error-invitation-invalid = Šī uzaicinājuma saite nav derīga: tā jau izmantota vai tai beidzies termiņš.
error-account-exists = Konts ar šo e-pastu jau ir: piesakieties un lūdziet koordinatoram piešķirt šo lomu.
error-until-before-from = Dalība nevar beigties pirms tās sākuma.

ideas-intro = Iesakiet ideju novadam, atbalstiet tās, kuras vēlaties redzēt īstenotas, un apspriediet tās.
ideas-list = Idejas
ideas-none = Ideju vēl nav.
ideas-back = Visas idejas
idea-propose = Iesniegt ideju
idea-title = Nosaukums
idea-body = Kāda ir ideja?
idea-place = Vieta
idea-place-hint = Nav obligāti. Ierakstiet platumu un garumu (piemēram, 56.8260, 24.2310) vai ielas nosaukumu, vai ar peli atzīmējiet vietu kartē: punktu, līniju vai laukumu.
idea-draw = Ko zīmēt kartē
idea-draw-point = Punkts
idea-draw-line = Līnija
idea-draw-area = Laukums
idea-draw-clear = Notīrīt
idea-submit = Iesniegt ideju
idea-anonymous = Apmeklētājs
idea-by = autors: { $name }
idea-supporters = { $count ->
    [zero] { $count } atbalstītāju
    [one] { $count } atbalstītājs
   *[other] { $count } atbalstītāji
}
idea-comment-count = { $count ->
    [zero] { $count } komentāru
    [one] { $count } komentārs
   *[other] { $count } komentāri
}
idea-on-map = kartē
idea-answered = atbildēta
idea-hidden = Paslēpta ideja
idea-hidden-reason = Moderatori to paslēpa, jo
idea-merged-into = Šī ideja apvienota ar citu: skatiet to tur.
idea-answer = Pašvaldības atbilde
idea-support = Atbalstīt šo ideju
idea-withdraw = Atsaukt savu atbalstu
idea-you-support = Jūs atbalstāt šo ideju.
idea-sign-in-to-take-part = Pieslēdzieties, lai iesniegtu, atbalstītu un apspriestu idejas.
idea-no-comments = Komentāru vēl nav.
idea-in-reply = atbilde
idea-comment = Jūsu komentārs
idea-reply-to = Atbilde uz
idea-reply-to-none = Pašu ideju
idea-comment-submit = Pievienot komentāru
idea-moderation = Moderēšana
idea-status-open = atvērta
idea-status-hidden = paslēpta
idea-status-merged = apvienota
moderation-action = Ko darīt
moderation-answer = Atbildēt oficiāli
moderation-hide = Paslēpt, norādot publisku iemeslu
moderation-restore = Rādīt atkal
moderation-merge = Apvienot ar citu ideju
moderation-answer-text = Oficiālā atbilde
moderation-reason = Iemesls, ko redz visi
moderation-into = Ideja, ar kuru apvienot
moderation-submit = Izpildīt
error-place-format = Ierakstiet vietu kā platumu, garumu, piemēram, 56.8260, 24.2310.
error-place-range = Platumam jābūt no -90 līdz 90, garumam no -180 līdz 180.
error-place-too-few = Līnijai vajag divus punktus, laukumam trīs.
error-place-too-many = Zīmējumā ir par daudz punktu; vienkāršojiet to.
error-idea-closed = Šī ideja ir paslēpta vai apvienota, tāpēc atbalstu un komentārus tā vairs nepieņem.
error-idea-not-hidden = Atkal parādīt var tikai paslēptu ideju.
error-transition = Iniciatīva virzās vienu soli uz priekšu vai vienu soli atpakaļ.

initiatives-intro = Ko vietējā rīcības grupa nolēma darīt un kur katra iniciatīva ir.
initiatives-none = Iniciatīvu vēl nav.
initiatives-from-ideas = Iniciatīvas izaug no idejām: atveriet ideju, lai no tās izveidotu iniciatīvu.
initiatives-back = Visas iniciatīvas
initiative-title = Iniciatīva
initiative-type = Sadarbības veids
initiative-status = Statuss
initiative-progress = Izpilde
initiative-status-idea = ideja
initiative-status-assessed = izvērtēta
initiative-status-agreed = grupa vienojusies
initiative-status-in_plan = iekļauta plānā
initiative-status-approved = apstiprināta
initiative-status-delivered = īstenota
initiative-status-monitored = uzraudzīta
initiative-part-of = Daļa no
initiative-timeline = Kas notika
initiative-move-to = Nākamais solis
initiative-reason = Kāpēc
initiative-step-decision = Lēmums, uz kuru balstīts šis solis
initiative-no-decision = Bez lēmuma
initiative-links = Kur to apsprieda un kas piedalās
initiative-no-links = Vēl nav saistīts ar sanāksmēm, lēmumiem vai organizācijām.
initiative-meetings = Sanāksmes
initiative-decisions = Lēmumi
initiative-organisations = Iesaistītās organizācijas
initiative-link-to = Sasaistīt ar
initiative-link = Sasaistīt
initiative-link-meeting = Sanāksme
initiative-link-decision = Lēmums
initiative-link-organisation = Organizācija
initiative-new = Jauna iniciatīva
initiative-description = Apraksts
initiative-parent = Daļa no
initiative-no-parent = Nav daļa no citas iniciatīvas
initiative-weight = Svars vecākiniciatīvas progresā
initiative-create = Izveidot iniciatīvu
initiative-edit = Labot iniciatīvu
initiative-save = Saglabāt
initiative-progress-hint = Progress no 0 līdz 100. Ja iniciatīvai ir atskaites punkti, progresu nosaka izpildīto atskaites punktu daļa.
initiative-milestones = Atskaites punkti
initiative-no-milestones = Atskaites punktu vēl nav.
milestone-title = Atskaites punkts
milestone-due-on = Līdz (nav obligāti)
milestone-add = Pievienot atskaites punktu
milestone-done = izpildīts
milestone-to-do = jāizdara
milestone-due = līdz
milestone-mark-done = Atzīmēt kā izpildītu
milestone-undo = Atzīmēt kā neizpildītu
error-parent-loop = Iniciatīva nevar būt daļa no pašas sevis vai no savas daļas.
initiative-move = Reģistrēt soli
initiative-parts = Tās daļas
initiative-ideas = Idejas, no kurām tā izauga
initiative-no-ideas = Tā neizauga no idejas šajā vietnē.
initiative-from-idea-reason = Izveidota no iesniegtas idejas.
idea-to-initiative = Pārvērst par iniciatīvu
idea-to-initiative-submit = Izveidot iniciatīvu
cooperation-types = Sadarbības veidi
cooperation-type-name = Jauna sadarbības veida nosaukums
cooperation-type-add = Pievienot sadarbības veidu
cooperation-crossing_with_owners = Gājēju pārejas, ko būvē kopā ar īpašniekiem
cooperation-mobility_point = Mobilitātes punkti un „novieto un brauc”
cooperation-information_campaign = Informatīvās kampaņas
cooperation-recreation_place = Pašvaldības zeme, ko uzņēmumi uztur kā publisku atpūtas vietu

# Map and search
nav-map = Karte
map-intro = Idejas un iniciatīvas kartē. Meklējiet pēc vārdiem (garumzīmes nav obligātas), izvēlieties veidu, sadarbības veidu un statusu. Saraksts blakus kartei satur to pašu, kas redzams kartē.
map-filters = Meklēšana un filtri
map-search = Meklēt
map-show = Rādīt
map-show-all = Idejas un iniciatīvas
map-show-ideas = Tikai idejas
map-show-initiatives = Tikai iniciatīvas
map-type = Sadarbības veids
map-any-type = Jebkurš veids
map-status = Statuss
map-any-status = Jebkurš statuss
map-bbox = Redzamais apgabals (rietumi, dienvidi, austrumi, ziemeļi)
map-apply = Meklēt
map-title = Novada karte ar idejām un iniciatīvām
map-description = Novada robeža un ielas; apļi ir idejas, kvadrāti ir iniciatīvas, lielāki apļi ar skaitli ir vairākas vietas kopā. Tas pats ir sarakstā blakus kartei.
map-legend = Apzīmējumi
map-legend-cluster = Vairākas vietas kopā (skaitlis rāda, cik)
map-kind-idea = Ideja
map-kind-initiative = Iniciatīva
map-cluster = { $count ->
    [one] { $count } vieta šeit; tuvināt
   *[other] { $count } vietas šeit; tuvināt
}
map-cluster-short = Vietas šeit
map-controls = Kartes vadība
map-zoom-in = Tuvināt
map-zoom-out = Tālināt
map-north = Uz ziemeļiem
map-south = Uz dienvidiem
map-east = Uz austrumiem
map-west = Uz rietumiem
map-whole = Viss novads
map-no-backdrop = Šim novadam vēl nav pamatkartes. Administrators to var ielādēt no OpenStreetMap; līdz tam saraksts rāda visu.
map-list = Saraksts
map-count-ideas = { $count ->
    [zero] { $count } ideju
    [one] { $count } ideja
   *[other] { $count } idejas
}
map-count-initiatives = { $count ->
    [zero] { $count } iniciatīvu
    [one] { $count } iniciatīva
   *[other] { $count } iniciatīvas
}
map-count-elsewhere = (vēl { $count } ārpus redzamā apgabala vai bez vietas)
map-nothing = Nekas neatbilst meklētajam.
map-no-place = bez vietas kartē
map-page = Lapa
map-pages = Lapas
map-previous = Iepriekšējā lapa
map-next = Nākamā lapa
map-show-around = Skatīt apkārtni lielajā kartē
open-data = Atvērtie dati
open-data-ideas = Visas publiskās idejas
open-data-initiatives = Visas iniciatīvas
open-data-hint = Bez autoru vārdiem un bez paslēptām idejām.
map-data = Kartē redzamais GeoJSON formātā (ar šiem filtriem)
error-bbox = Apgabalu raksta kā četrus skaitļus: rietumi, dienvidi, austrumi, ziemeļi.
error-page = Lapas numuram jābūt veselam skaitlim no 1.
error-place-outside = Vieta ir ārpus novada. Izvēlieties vietu novada robežās.

# Signing up as a resident
signup-title = Pieteikties kā iedzīvotājam
signup-intro = Izveidojiet kontu, lai ierosinātu idejas, tās atbalstītu un komentētu. Jūs saņemsiet iedzīvotāja lomu šajā novadā.
signup-name = Vārds, ko redzēs citi
signup-name-hint = Šis vārds būs redzams pie jūsu idejām un komentāriem. E-pasts citiem nav redzams.
signup-consent = Piekrītu, ka mans vārds tiek rādīts pie tā, ko rakstu, un ka pašvaldība apstrādā manu e-pastu, lai es varētu pieteikties un saņemt paziņojumus.
signup-trap = Atstājiet šo lauku tukšu
signup-submit = Izveidot kontu
signup-have-account = Jau ir konts?
signup-join-intro = Jūs esat pieteicies, bet šajā novadā jums vēl nav lomas. Pievienojieties kā iedzīvotājs, lai ierosinātu un atbalstītu idejas.
signup-join = Pievienoties kā iedzīvotājam
idea-or-sign-up = Vai izveidojiet iedzīvotāja kontu
error-consent = Lai izveidotu kontu, vajag jūsu piekrišanu.
error-looks-automated = Veidlapa izskatās aizpildīta automātiski, tāpēc tā netika saglabāta.
error-slow-down = Pārāk daudz īsā laikā. Jūsu teksts ir saglabāts veidlapā; mēģiniet vēlreiz pēc brīža.
idea-photos = Fotoattēli
idea-photo-alt = Idejas { $number }. fotoattēls
idea-photo-files = Fotoattēli (līdz 3)
idea-photo-hint = JPEG, PNG vai WebP, katrs līdz 5 MB. Tos saglabā samazinātus un bez metadatiem (piemēram, uzņemšanas vietas).
idea-photo-description = Ko fotoattēli rāda (tiem, kas tos neredz)
idea-photo-add = Pievienot fotoattēlus
error-photo-empty = Izvēlieties fotoattēlu.
error-photo-too-large = Fotoattēls ir lielāks par 5 MB. Samaziniet to un mēģiniet vēlreiz.
error-photo-type = Der tikai JPEG, PNG vai WebP fotoattēli.
error-photo-unreadable = Fotoattēlu nevar nolasīt: fails ir bojāts vai nepilnīgs.
error-photo-count = Idejai var būt ne vairāk kā 3 fotoattēli.
error-photo-upload = Augšupielāde pārtrūka. Mēģiniet vēlreiz.

# Following and notifications
nav-notifications = Paziņojumi
nav-notifications-count = { $count ->
    [0] Paziņojumi
    [one] Paziņojumi ({ $count } jauns)
   *[other] Paziņojumi ({ $count } jauni)
}
nav-outbox = Izsūtītās vēstules
follow-start = Sekot
follow-stop = Pārtraukt sekot
follow-following = Jūs sekojat: saņemsiet paziņojumus par jaunumiem.
notifications-intro = Jaunumi par idejām un iniciatīvām, kurām sekojat. Jūs sekojat savām idejām un tām, ko atbalstāt vai komentējat.
notifications-none = Paziņojumu vēl nav.
notifications-new = jauns
notifications-mark-read = Atzīmēt visus kā izlasītus
notifications-email = E-pasts
notifications-email-choice = Sūtīt e-pastu
notifications-save = Saglabāt
email-mode-each = par katru jaunumu
email-mode-daily = vienu kopsavilkumu dienā
email-mode-never = nesūtīt
notify-comment = Jauns komentārs: { $title }
notify-answer = Pašvaldības atbilde vai lēmums: { $title }
notify-hidden = Ideja paslēpta: { $title }
notify-merged = Ideja apvienota ar citu: { $title }
notify-became_initiative = Ideja kļuva par iniciatīvu: { $title }
notify-step = Iniciatīva spēra nākamo soli: { $title }
notify-milestone = Izpildīts atskaites punkts: { $title }
notify-greeting = Labdien, { $name }!
notify-footer = Paziņojumus un e-pasta iestatījumus varat mainīt šeit: { $link }
notify-digest-subject = { $count ->
    [one] { $count } jaunums: { $workspace }
   *[other] { $count } jaunumi: { $workspace }
}
outbox-intro = Visas vēstules, kas sūtītas par šo novadu. Ja pasta serveris nav iestatīts, tās ir tikai šeit.
outbox-none = Vēstuļu vēl nav.
outbox-sent = nosūtīta
outbox-waiting = gaida pasta serveri
outbox-not-sent = nav nosūtīta (pasta serveris nav iestatīts)
