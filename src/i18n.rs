//! The French wording of the use cases' messages. The API answers integrators in English (its
//! messages are part of the GraphQL contract); the portal speaks to creditors, agents and
//! lawyers, so every message it shows goes through [`french`], and so does the CSV import's
//! report (a French file format, reported in French over every channel).
//!
//! Each entry is an English message and its French text; `{}` stands for a part that varies
//! (a number, a name, a SIREN), carried over in the same order. An amount carried over
//! (`1234.56`) is shown the French way (`1 234,56`); a French text may also leave every part
//! out. A message without an entry is shown as
//! it is: the portal's own messages are already French.

use rust_decimal::Decimal;

const TABLE: &[(&str, &str)] = &[
    // The debtor's page (debtor, portal::debtor).
    (
        "this is neither the postal code of the letter's address nor one of the invoice numbers",
        "ce n'est ni le code postal de l'adresse du courrier, ni l'un des numéros de facture",
    ),
    ("choose a reason from the list", "choisissez un motif dans la liste"),
    ("give a date (day, month, year)", "indiquez une date (jour, mois, année)"),
    ("give a number of instalments", "indiquez un nombre de mensualités"),
    ("a plan has between 2 and 36 instalments", "un échéancier compte de 2 à 36 mensualités"),
    ("nothing to spread over instalments", "il ne reste rien à échelonner"),
    // The debtor's files (debtor::pieces).
    ("send at most {} files at a time", "envoyez au plus {} fichiers à la fois"),
    (
        "this case already holds the {} files a debtor may send: contact your case handler",
        "ce dossier compte déjà les {} fichiers qu'un débiteur peut envoyer : contactez votre gestionnaire",
    ),
    ("a file is larger than the limit of {} MiB", "un fichier dépasse la limite de {} Mio"),
    (
        "send a PDF, a JPEG or a PNG file (a scan or a photo)",
        "envoyez un fichier PDF, JPEG ou PNG (un scan ou une photo)",
    ),
    (
        "this PDF holds active content (scripts or actions): send a PDF printed from it, or a photo",
        "ce PDF contient du contenu actif (scripts ou actions) : envoyez-en une version imprimée en PDF, ou une photo",
    ),
    (
        "files go with a dispute or with « I have already paid »",
        "les fichiers accompagnent une contestation ou « J'ai déjà payé »",
    ),
    // The subjects of `evidence::too_large` (« {} is larger than the limit of {} MiB »).
    ("the file", "le fichier"),
    ("the case's archive with this file", "l'archive du dossier avec ce fichier"),
    // The portal's address in the agency settings (recovery::settings).
    (
        "an http:// or https:// address such as https://recouvra.agence.fr",
        "une adresse http:// ou https://, par exemple https://recouvra.agence.fr",
    ),
    // Passwords (accounts::passwords).
    ("link sent, valid for one hour", "lien envoyé, valable une heure"),
    ("unknown or disabled account: nothing sent", "compte inconnu ou désactivé : rien n'est envoyé"),
    (
        "{} links already sent within the hour: nothing sent",
        "{} liens déjà envoyés dans l'heure : rien n'est envoyé",
    ),
    ("RECOUVRA_PUBLIC_URL unset: nothing sent", "RECOUVRA_PUBLIC_URL non réglée : rien n'est envoyé"),
    (
        "replaced with a forgotten-password link: sign-ins ended",
        "remplacé par un lien « mot de passe oublié » : sessions fermées",
    ),
    (
        "changed by its holder: other sign-ins ended",
        "changé par son titulaire : ses autres sessions sont fermées",
    ),
    (
        "by user {}: to be changed at the next sign-in",
        "par l'utilisateur {} : à changer à la prochaine connexion",
    ),
    (
        "wrong current password on a password change",
        "mot de passe actuel erroné lors d'un changement",
    ),
    // The security log's details (accounts, admin, downloads).
    ("signed in", "connexion réussie"),
    ("wrong password", "mot de passe erroné"),
    ("unknown or disabled account", "compte inconnu ou désactivé"),
    (
        "the account is locked: the password was not checked",
        "compte suspendu : le mot de passe n'a pas été vérifié",
    ),
    ("{} failed sign-ins: the account is locked", "{} connexions échouées : le compte est suspendu"),
    (
        "a rotated or revoked refresh token was presented: its sign-in is revoked",
        "un jeton de session déjà utilisé ou révoqué a été présenté : la session est révoquée",
    ),
    ("by user {}", "par l'utilisateur {}"),
    ("piece {} ({})", "pièce {} ({})"),
    ("document {} ({})", "document {} ({})"),
    ("the current password is wrong", "le mot de passe actuel est erroné"),
    (
        "the new password must differ from the current one",
        "le nouveau mot de passe doit différer de l'actuel",
    ),
    (
        "change your own password on your password page",
        "changez votre propre mot de passe depuis la page « Mot de passe »",
    ),
    // Incidents of the debtor's life (cases::incidents).
    ("say the amount admitted", "indiquez le montant admis"),
    (
        "the decision is dated between the declaration and today",
        "la décision est datée entre la déclaration et aujourd'hui",
    ),
    (
        "the declaration is dated between the opening judgment and today",
        "la déclaration est datée entre le jugement d'ouverture et aujourd'hui",
    ),
    (
        "a claim is declared only in a collective proceeding",
        "une créance ne se déclare que dans une procédure collective",
    ),
    ("the claim is already declared", "la créance est déjà déclarée"),
    (
        "record the claim's declaration first",
        "enregistrez d'abord la déclaration de créance",
    ),
    ("the incident was ended meanwhile", "l'événement a été clos entre-temps"),
    // Shared field checks (validate.rs, ids, money).
    ("this field is required", "ce champ est obligatoire"),
    ("at most {} characters", "{} caractères au plus"),
    ("control characters are not allowed", "caractères de contrôle interdits"),
    ("a two-letter country code such as FR", "un code pays de deux lettres, par exemple FR"),
    ("a French postal code has 5 digits", "un code postal français compte 5 chiffres"),
    ("a SIREN has exactly 9 digits", "un SIREN compte exactement 9 chiffres"),
    ("{} is not a valid SIREN (checksum)", "{} n'est pas un SIREN valide (clé de contrôle)"),
    (
        "an IBAN is a country code, two check digits and the account (15 to 34 characters)",
        "un IBAN comprend le code pays, deux chiffres de contrôle et le compte (15 à 34 caractères)",
    ),
    ("{} is not a valid IBAN (checksum)", "{} n'est pas un IBAN valide (clé de contrôle)"),
    ("a BIC has 8 or 11 letters and digits", "un BIC compte 8 ou 11 lettres et chiffres"),
    ("« {} » is not a valid e-mail address", "« {} » n'est pas une adresse e-mail valide"),
    ("an amount has at most 2 decimals (cents)", "un montant a au plus deux décimales (centimes)"),
    ("the amount is too large", "le montant est trop élevé"),
    ("an amount is at most 1000000000.00 €", "un montant ne peut dépasser 1 000 000 000,00 €"),
    ("the total of these amounts is too large", "le total de ces montants est trop élevé"),
    ("a date between 1990-01-01 and 2100-12-31", "une date entre le 01/01/1990 et le 31/12/2100"),
    ("« {} » is not an amount (expected e.g. 1234.56)", "« {} » n'est pas un montant (par exemple 1 234,56)"),
    ("« {} » is not an amount", "« {} » n'est pas un montant"),
    ("the amount must be greater than zero", "le montant doit être supérieur à zéro"),
    ("a positive amount in euros", "un montant positif en euros"),
    ("cannot be negative", "ne peut pas être négatif"),
    ("a year between 2000 and 2100", "une année entre 2000 et 2100"),
    ("date out of range", "date hors limites"),
    ("the date is in the future", "la date est dans le futur"),
    ("the date is in the past", "la date est passée"),
    // Intake and import.
    ("a case needs at least one invoice", "un dossier compte au moins une facture"),
    ("at most {} invoices per case", "{} factures au plus par dossier"),
    ("invoice number {} appears twice in this case", "la facture n° {} figure deux fois dans ce dossier"),
    ("the issue date is in the future", "la date d'émission est dans le futur"),
    ("the due date is before the issue date", "l'échéance précède la date d'émission"),
    (
        "nothing remains due on this invoice: the amount paid reaches its total",
        "plus rien n'est dû sur cette facture : le montant déjà payé atteint son total",
    ),
    ("a company cannot act as a consumer", "une société ne peut pas être un consommateur"),
    ("not a telephone number", "ce n'est pas un numéro de téléphone"),
    ("unknown creditor organisation", "organisation créancière inconnue"),
    ("say which creditor the case is opened for", "indiquez le créancier pour qui le dossier est ouvert"),
    (
        "{} has no signed mandate in force: collection cannot start without the creditor's written mandate (CPCE R124-3)",
        "{} n'a pas de mandat signé en vigueur : le recouvrement ne peut commencer sans le mandat écrit du créancier (CPCE R124-3)",
    ),
    (
        "a contractual late-payment rate applies between professionals (C. com. L441-10); a consumer owes legal interest from the formal notice",
        "un taux contractuel de pénalités ne s'applique qu'entre professionnels (C. com. L441-10) ; un consommateur doit l'intérêt légal à compter de la mise en demeure",
    ),
    (
        "a yearly rate in percent, above 0 and at most 100, with at most two decimals (e.g. 12.50)",
        "un taux annuel en pourcentage, supérieur à 0 et au plus 100, avec au plus deux décimales (par exemple 12,50)",
    ),
    // Evidence.
    ("this file is not accepted: {}", "ce fichier n'est pas accepté : {}"),
    ("{} is larger than the limit of {} MiB", "{} dépasse la limite de {} Mio"),
    ("the file", "le fichier"),
    ("say what the piece is", "indiquez la nature de la pièce"),
    (
        "letters and receipts are generated by the agency, not uploaded",
        "les courriers et reçus sont produits par l'agence, ils ne se déposent pas",
    ),
    ("the piece is already withdrawn", "la pièce est déjà retirée"),
    ("the stored file is missing: the agency has been alerted", "le fichier archivé est introuvable : l'agence a été alertée"),
    (
        "the stored file no longer matches its fingerprint: it is not served, and the agency has been alerted",
        "le fichier archivé ne correspond plus à son empreinte : il n'est pas transmis et l'agence a été alertée",
    ),
    // The workflow.
    (
        "the case was changed by someone else meanwhile: reload it and try again",
        "le dossier a été modifié par quelqu'un d'autre entre-temps : rechargez la page et recommencez",
    ),
    ("only a submitted case can be accepted or rejected", "seul un dossier à examiner peut être accepté ou refusé"),
    ("accept the case first", "acceptez d'abord le dossier"),
    ("accept the case before recording payments on it", "acceptez le dossier avant d'y enregistrer des paiements"),
    ("accept the case before choosing its playbook", "acceptez le dossier avant de choisir son scénario"),
    ("the case is closed", "le dossier est clôturé"),
    (
        "a case in the legal phase cannot be withdrawn; ask the lawyer in charge",
        "un dossier en phase judiciaire ne peut pas être retiré ; adressez-vous à l'avocat chargé du dossier",
    ),
    ("{} is already in charge of this case", "{} a déjà ce dossier en charge"),
    ("unknown agent", "gestionnaire inconnu"),
    ("calls are logged during amicable recovery", "les appels se consignent pendant le recouvrement amiable"),
    ("disputes are raised during amicable recovery", "une contestation se signale pendant le recouvrement amiable"),
    ("a dispute is already open on this case", "une contestation est déjà ouverte sur ce dossier"),
    ("no dispute is open", "aucune contestation n'est ouverte"),
    (
        "a dispute closes the case as settled, unrecoverable or withdrawn",
        "une contestation clôt le dossier comme réglé, irrécouvrable ou retiré",
    ),
    (
        "a promise to pay is recorded during amicable recovery or the formal notice",
        "une promesse de paiement s'enregistre pendant le recouvrement amiable ou la mise en demeure",
    ),
    ("a promise to pay is already running on this case", "une promesse de paiement est déjà en cours sur ce dossier"),
    (
        "a promise runs at most {} days: propose a payment plan instead",
        "une promesse court {} jours au plus : proposez plutôt un échéancier",
    ),
    ("a payment plan is already proposed or running", "un échéancier est déjà proposé ou en cours"),
    ("no payment plan waits for a decision", "aucun échéancier n'attend de décision"),
    ("more than the {} € the debtor owes today", "plus que les {} € dus aujourd'hui par le débiteur"),
    ("not an invoice of this case", "ce n'est pas une facture de ce dossier"),
    ("the date is before every invoice of the case", "la date précède toutes les factures du dossier"),
    ("the amount received must be positive", "le montant reçu doit être positif"),
    (
        "the payment exceeds what is due by {} €: at most {} € can be recorded",
        "le paiement dépasse de {} € ce qui est dû : {} € au plus peuvent être enregistrés",
    ),
    ("a card payment is of 0.50 € at least", "un paiement par carte est d'au moins 0,50 €"),
    ("at most {} € is due today", "{} € au plus sont dus aujourd'hui"),
    ("no payment can be received on this case now", "aucun paiement ne peut être reçu sur ce dossier pour le moment"),
    ("the formal notice is sent from amicable recovery", "la mise en demeure part du recouvrement amiable"),
    ("the formal notice was already sent", "la mise en demeure a déjà été envoyée"),
    (
        "the formal notice is already produced: post it and record its tracking number",
        "la mise en demeure est déjà produite : postez-la et enregistrez son numéro de suivi",
    ),
    ("produce the formal notice before posting it", "produisez la mise en demeure avant de la poster"),
    ("the formal notice was not posted", "la mise en demeure n'a pas été postée"),
    ("the date is before the letter's", "la date précède celle du courrier"),
    ("the date is before the posting", "la date précède le dépôt à la poste"),
    ("the agency organisation is missing", "l'organisation de l'agence n'est pas enregistrée"),
    ("the task is already closed", "la tâche est déjà close"),
    // The legal phase.
    ("the case has not been referred to a lawyer", "le dossier n'a pas été confié à un avocat"),
    ("the case is already with {}", "le dossier est déjà confié à {}"),
    ("unknown lawyer", "avocat inconnu"),
    ("the court is chosen before the requête is filed", "la juridiction se choisit avant le dépôt de la requête"),
    (
        "confirm the competent court before recording the filing",
        "confirmez la juridiction compétente avant d'enregistrer le dépôt",
    ),
    (
        "confirm the competent court first (the eligibility report proposes one)",
        "confirmez d'abord la juridiction compétente (le rapport d'éligibilité en propose une)",
    ),
    (
        "« {} » is not a court of the directory (version {}): choose one of its courts",
        "« {} » n'est pas une juridiction de l'annuaire (version {}) : choisissez une juridiction de l'annuaire",
    ),
    ("the court {} is a {}, not a {}", "la juridiction {} est un {}, pas un {}"),
    ("the court {} does not sit on {}", "la juridiction {} ne siège pas le {}"),
    (
        "the lawyer's profile is incomplete: the requête names its filer's firm, bar and address (CPC 1407); the lawyer enters them in their profile",
        "le profil de l'avocat est incomplet : la requête nomme le cabinet, le barreau et l'adresse de l'avocat qui la dépose (CPC 1407) ; l'avocat les renseigne dans son profil",
    ),
    (
        "the first letter {} has not been sent yet: a later letter repeats its sending date (CPCE R124-4)",
        "le premier courrier {} n'est pas encore envoyé : un courrier suivant reprend sa date d'envoi (CPCE R124-4)",
    ),
    ("the document's date cannot be in the future", "la date du document ne peut pas être dans le futur"),
    ("the requête is filed once the case is with a lawyer", "la requête se dépose une fois le dossier confié à un avocat"),
    (
        "the requête was filed: the lawyer in charge keeps the case",
        "la requête est déposée : l'avocat chargé du dossier le conserve",
    ),
    ("the judge's order follows the filing of the requête", "l'ordonnance du juge suit le dépôt de la requête"),
    ("only a granted order is served", "seule une ordonnance rendue se signifie"),
    ("the order has not been served", "l'ordonnance n'a pas été signifiée"),
    ("an opposition follows the service of the order", "une opposition suit la signification de l'ordonnance"),
    ("an order becomes enforceable once served and unopposed", "une ordonnance devient exécutoire une fois signifiée et non contestée"),
    ("only an enforceable title is handed over", "seul un titre exécutoire se transmet"),
    (
        "measures of enforcement are recorded once the case is with a lawyer",
        "les mesures d'exécution s'enregistrent une fois le dossier confié à un avocat",
    ),
    ("already recorded", "déjà enregistré"),
    ("an amount is given only for an order granted in part", "un montant ne se saisit que pour une ordonnance accordée en partie"),
    ("say which amount the order grants", "indiquez le montant accordé par l'ordonnance"),
    ("between the service and today", "entre la signification et aujourd'hui"),
    ("only for a service not made to the debtor in person", "seulement pour une signification qui n'a pas été faite à personne"),
    (
        "the order was served in person: the window already runs from the service",
        "l'ordonnance a été signifiée à personne : le délai court déjà depuis la signification",
    ),
    ("nothing is due: there is no sum to claim", "rien n'est dû : il n'y a pas de somme à réclamer"),
    ("the dossier cannot be assembled: {}", "le dossier ne peut pas être constitué : {}"),
    // Administration, settings and remittances.
    ("this e-mail address is already used", "cette adresse e-mail est déjà utilisée"),
    ("you cannot disable your own account", "vous ne pouvez pas désactiver votre propre compte"),
    ("a password has at least 12 characters", "un mot de passe compte au moins 12 caractères"),
    ("a password has at most 256 bytes", "un mot de passe compte au plus 256 octets"),
    ("an organisation with SIREN {} already exists", "une organisation de SIREN {} existe déjà"),
    ("this SIREN is already registered", "ce SIREN est déjà enregistré"),
    ("unknown organisation", "organisation inconnue"),
    ("unknown creditor", "créancier inconnu"),
    ("unknown mandate", "mandat inconnu"),
    ("unknown playbook", "scénario inconnu"),
    ("a playbook is already named « {} »", "un scénario porte déjà le nom « {} »"),
    ("this organisation is not a creditor", "cette organisation n'est pas un créancier"),
    ("not a creditor organisation", "ce n'est pas une organisation créancière"),
    ("not an agency organisation", "ce n'est pas l'organisation de l'agence"),
    (
        "a creditor user belongs to a creditor organisation",
        "un utilisateur créancier appartient à une organisation créancière",
    ),
    (
        "agency staff cannot belong to a creditor organisation",
        "le personnel de l'agence n'appartient pas à une organisation créancière",
    ),
    ("a mandate is given by a creditor organisation", "un mandat est donné par une organisation créancière"),
    (
        "a mandate is recorded once signed: the date cannot be in the future",
        "un mandat s'enregistre une fois signé : sa date ne peut pas être dans le futur",
    ),
    ("the end date is before the signature", "la date de fin précède la signature"),
    (
        "the commission is between 0 and 10000 basis points (0 to 100 %)",
        "la commission est comprise entre 0 et 100 %",
    ),
    ("between 0 and 30 days", "entre 0 et 30 jours"),
    ("between 8 and 30 days", "entre 8 et 30 jours"),
    ("between 0 and 15 days (0: no reminder)", "entre 0 et 15 jours (0 : aucun rappel)"),
    ("between 1 and 14 a week", "entre 1 et 14 par semaine"),
    ("between 8 and 20 hours", "entre 8 h et 20 h"),
    (
        "between 9 and 21 hours, after the first hour of calls",
        "entre 9 h et 21 h, après l'heure du début des appels",
    ),
    ("between 1 and 36", "entre 1 et 36"),
    (
        "give both limits, or neither to remove them",
        "saisissez les deux limites, ou aucune pour les supprimer",
    ),
    ("out of bounds", "hors limites"),
    ("the rates of {} H1 are already entered", "les taux du premier semestre {} sont déjà saisis"),
    ("the rates of {} H2 are already entered", "les taux du second semestre {} sont déjà saisis"),
    (
        "no rates are entered for {} H1: add them instead",
        "aucun taux n'est saisi pour le premier semestre {} : saisissez-les plutôt",
    ),
    (
        "no rates are entered for {} H2: add them instead",
        "aucun taux n'est saisi pour le second semestre {} : saisissez-les plutôt",
    ),
    (
        "these are the rates already entered: nothing to correct",
        "ce sont les taux déjà saisis : rien à corriger",
    ),
    ("the half-year was removed meanwhile", "le semestre a été supprimé entre-temps"),
    (
        "no interest rate entered for {} H1: an admin must add that half-year's rates before this can be computed",
        "aucun taux d'intérêt n'est saisi pour le 1er semestre {} : un administrateur doit le saisir avant ce calcul",
    ),
    (
        "no interest rate entered for {} H2: an admin must add that half-year's rates before this can be computed",
        "aucun taux d'intérêt n'est saisi pour le 2e semestre {} : un administrateur doit le saisir avant ce calcul",
    ),
    (
        "{}: an admin must add that half-year's rates before this can be computed",
        "{} : un administrateur doit saisir les taux de ce semestre avant ce calcul",
    ),
    (
        "interest stopped at {}: the rates of {} H1 are not entered; an admin must enter them before a formal notice or a requête",
        "intérêts arrêtés au {} : taux du 1er semestre {} non saisi ; un administrateur doit le saisir avant toute mise en demeure ou requête",
    ),
    (
        "interest stopped at {}: the rates of {} H2 are not entered; an admin must enter them before a formal notice or a requête",
        "intérêts arrêtés au {} : taux du 2e semestre {} non saisi ; un administrateur doit le saisir avant toute mise en demeure ou requête",
    ),
    (
        "the agency settings lack what letters must state (CPCE R124-2, R124-4): {}",
        "les réglages de l'agence sont incomplets : il manque des mentions que les courriers doivent porter (assureur, numéro de police, IBAN du compte dédié, signataire ou organisation de l'agence ; CPCE R124-2, R124-4)",
    ),
    ("the date is before the first invoice", "la date précède la première facture"),
    (
        "no payment collected for this creditor is waiting to be remitted",
        "aucun encaissement de ce créancier n'attend de reversement",
    ),
    (
        "some of these payments were remitted meanwhile: try again",
        "certains de ces encaissements ont été reversés entre-temps : recommencez",
    ),
    ("the date is before the remittance was prepared", "la date précède la préparation du reversement"),
    ("remittance {} is already paid", "le reversement {} est déjà payé"),
    ("the period starts after it ends", "la période commence après sa fin"),
    // Playbooks.
    ("a playbook needs at least one step", "un scénario compte au moins une étape"),
    ("at most {} days", "{} jours au plus"),
    ("the template {} goes out by {}", "ce modèle ne s'envoie pas par ce canal"),
    (
        "the formal notice ends the amicable phase: it must be the last step",
        "la mise en demeure clôt la phase amiable : elle doit être la dernière étape",
    ),
    // Only what is due is demanded (C. civ. 1344).
    (
        "nothing is due yet: a formal notice demands only invoices whose due date has passed; the first falls due on {}",
        "rien n'est encore exigible : une mise en demeure ne réclame que les factures échues ; la première échoit le {}",
    ),
    (
        "nothing is due yet: a letter demands only invoices whose due date has passed; the first falls due on {}",
        "rien n'est encore exigible : un courrier ne réclame que les factures échues ; la première échoit le {}",
    ),
    // The outbox (recovery::queue::decide_message).
    (
        "the message is {}: it cannot become {}",
        "le message est à l'état « {} » : il ne peut pas passer à l'état « {} »",
    ),
    (
        "record the formal notice's posting on its case (postFormalNotice)",
        "notez l'envoi de la mise en demeure sur son dossier",
    ),
    // The court directory's import (legal::courts::parse, CourtDirectory::check).
    ("not a court directory: {}", "ce fichier n'est pas un annuaire des juridictions ({})"),
    (
        "court {}: kind {} is not judicial_court, commercial_court or economic_activities_court",
        "juridiction {} : la nature {} n'est ni judicial_court, ni commercial_court, ni economic_activities_court",
    ),
    ("the court directory has no version", "l'annuaire n'indique pas sa version"),
    ("the court directory names no source", "l'annuaire ne cite pas sa source"),
    ("the court directory lists no court", "l'annuaire ne liste aucune juridiction"),
    ("court {}: id, name and seat are required", "juridiction {} : identifiant, nom et siège sont obligatoires"),
    ("court id {} appears twice", "l'identifiant {} figure deux fois"),
    ("court {} appears twice", "la juridiction {} figure deux fois"),
    ("court {}: {} is not a département code", "juridiction {} : {} n'est pas un code de département"),
    ("court {}: {} is not an INSEE commune code", "juridiction {} : {} n'est pas un code commune INSEE"),
    ("court {}: it ends before it starts", "juridiction {} : sa fin précède son début"),
    ("commune {} is malformed", "la commune {} est mal décrite"),
    // The BODACC import (domain::legal::bodacc::parse).
    (
        "not a BODACC export (a JSON list of « annonces-commerciales » records, or a PCL or RCS-B XML file of the DILA): {}",
        "ce fichier n'est pas un export du BODACC (une liste JSON d'annonces « annonces-commerciales », ou un fichier XML PCL ou RCS-B de la DILA) : {}",
    ),
    ("unreadable at line {}, column {}", "illisible à la ligne {}, colonne {}"),
    ("malformed XML at line {}", "XML mal formé à la ligne {}"),
    ("an XML file without any element", "un fichier XML sans aucun élément"),
    ("an XML file of root {}, not PCL_REDIFF nor RCS-B_REDIFF", "un fichier XML de racine {}, ni PCL_REDIFF ni RCS-B_REDIFF"),
    ("an XML file of root {} that is not a BODACC file", "un fichier XML de racine {} qui n'est pas un fichier du BODACC"),
    ("« dateParution » {} is not a date (AAAA-MM-JJ)", "« dateParution » {} n'est pas une date (AAAA-MM-JJ)"),
    ("« numeroIdentificationRCS » {} holds no valid SIREN", "« numeroIdentificationRCS » {} ne contient aucun SIREN valide"),
    ("no « numeroIdentificationRCS » (the SIREN)", "pas de « numeroIdentificationRCS » (le SIREN)"),
    ("not a record (a JSON object is expected)", "ce n'est pas une annonce (un objet JSON est attendu)"),
    ("no « id » nor « parution »", "ni « id » ni « parution »"),
    ("no « registre » (the SIREN)", "pas de « registre » (le SIREN)"),
    ("no « {} »", "le champ « {} » manque"),
    ("« dateparution » {} is not a date (AAAA-MM-JJ)", "« dateparution » {} n'est pas une date (AAAA-MM-JJ)"),
    ("« registre » {} holds no valid SIREN", "« registre » {} ne contient aucun SIREN valide"),
    ("its « jugement » is not a JSON text", "son « jugement » n'est pas un texte JSON"),
    // The dedicated account's statements (domain::bank, recovery::bank).
    ("the statement file is larger than 16 MiB", "le fichier du relevé dépasse 16 Mo"),
    ("the statement file is empty", "le fichier du relevé est vide"),
    ("not UTF-8 text (line {})", "ce n'est pas un texte UTF-8 (ligne {})"),
    (
        "name the account of the CSV export (no dedicated account in the agency's settings)",
        "indiquez le compte de l'export CSV (les paramètres de l'agence n'ont pas de compte dédié)",
    ),
    (
        "the statement is of the account {}, not of the agency's dedicated account {}",
        "ce relevé est celui du compte {}, pas du compte dédié de l'agence {}",
    ),
    (
        "not a camt.053 statement: the root element is {}, not Document",
        "ce n'est pas un relevé camt.053 : l'élément racine est {}, pas Document",
    ),
    (
        "not a camt.053 statement: no BkToCstmrStmt/Stmt element",
        "ce n'est pas un relevé camt.053 : aucun élément BkToCstmrStmt/Stmt",
    ),
    ("more than {} entries in one file", "plus de {} écritures dans un fichier"),
    (
        "malformed XML: the file ends inside {} (line {})",
        "XML mal formé : le fichier s'arrête à l'intérieur de {} (ligne {})",
    ),
    ("entry {} (line {}): {}", "écriture n° {} (ligne {}) : {}"),
    ("entry {}: an amount in {}, not in euros", "écriture n° {} : un montant en {}, pas en euros"),
    ("statement (line {}): {}", "relevé (ligne {}) : {}"),
    ("no amount (Amt)", "pas de montant (Amt)"),
    ("the amount has no currency (Ccy)", "le montant n'a pas de devise (Ccy)"),
    (
        "no credit or debit indicator (CdtDbtInd CRDT or DBIT)",
        "ni crédit ni débit indiqué (CdtDbtInd CRDT ou DBIT)",
    ),
    ("no booking date (BookgDt)", "pas de date de comptabilisation (BookgDt)"),
    ("a transaction in {}, inside an entry in euros", "une opération en {}, dans une écriture en euros"),
    (
        "a batch of transactions without the amount of each",
        "un lot d'opérations sans le montant de chacune",
    ),
    (
        "its transactions add up to {}, not to the entry's {}",
        "ses opérations totalisent {}, et non le montant de l'écriture, {}",
    ),
    ("no account IBAN (Acct/Id/IBAN)", "pas d'IBAN du compte (Acct/Id/IBAN)"),
    ("a closing balance without amount", "un solde de clôture sans montant"),
    ("a closing balance that is not in euros", "un solde de clôture qui n'est pas en euros"),
    ("a closing balance without CdtDbtInd", "un solde de clôture sans CdtDbtInd"),
    ("a closing balance without its date", "un solde de clôture sans sa date"),
    ("no statement identification (Stmt/Id)", "pas d'identifiant du relevé (Stmt/Id)"),
    ("an entry's amount must be greater than zero", "le montant d'une écriture doit être supérieur à zéro"),
    ("a quoted field is never closed", "un champ entre guillemets n'est jamais fermé"),
    ("characters after a closing quote", "des caractères après un guillemet fermant"),
    ("an empty file: a header line is expected", "fichier vide : une ligne d'en-tête est attendue"),
    ("the header line has no column « {} »", "la ligne d'en-tête n'a pas de colonne « {} »"),
    (
        "the mapping names an amount column, or a credit and a debit column",
        "indiquez une colonne de montant, ou une colonne crédit et une colonne débit",
    ),
    ("an amount in {}, not in euros", "un montant en {}, pas en euros"),
    ("« {} » is not a date (JJ/MM/AAAA)", "« {} » n'est pas une date (JJ/MM/AAAA)"),
    ("« {} » is not a date", "« {} » n'est pas une date"),
    (
        "one of the credit and debit columns holds the amount",
        "une seule des colonnes crédit et débit porte le montant",
    ),
    ("an entry of zero", "une écriture de zéro"),
    ("a debit: not a payment to reconcile", "un débit : pas un paiement à rapprocher"),
    ("a debit is not a payment to reconcile", "un débit n'est pas un paiement à rapprocher"),
    ("the remittance names several cases: {}", "le libellé cite plusieurs dossiers : {}"),
    (
        "the amount is the balance due and the payer's name is close to the debtor's",
        "le montant est le solde dû et le nom du donneur d'ordre est proche de celui du débiteur",
    ),
    ("no case has the reference {}", "aucun dossier ne porte la référence {}"),
    (
        "the payout {} of the payment provider: {} € of card payments, less {} € of fees",
        "le versement {} du prestataire de paiement : {} € de paiements par carte, moins {} € de frais",
    ),
    ("the remittance names several payouts: {}", "le libellé cite plusieurs versements : {}"),
    (
        "the payment provider has not announced the payout {} yet: it is reconciled when it does",
        "le prestataire de paiement n'a pas encore annoncé le versement {} : il sera rapproché à son annonce",
    ),
    ("the entry brings {} €, the payout {} {} €", "l'écriture apporte {} €, le versement {} {} €"),
    (
        "the payout {} is already reconciled with another entry",
        "le versement {} est déjà rapproché d'une autre écriture",
    ),
    (
        "a payout of the payment provider: none of {} € is announced yet",
        "un versement du prestataire de paiement : aucun de {} € n'est encore annoncé",
    ),
    (
        "a payout of the payment provider: several of {} € wait, name it (po_…)",
        "un versement du prestataire de paiement : plusieurs de {} € attendent, précisez lequel (po_…)",
    ),
    (
        "a payout of the payment provider is no debtor's payment (its card payments are recorded): it is reconciled when the provider announces it",
        "un versement du prestataire de paiement n'est pas le paiement d'un débiteur (ses paiements par carte sont enregistrés) : il est rapproché quand le prestataire l'annonce",
    ),
    (
        "the payout's detail cannot be read from the provider now: retry later",
        "le détail du versement ne peut pas être lu chez le prestataire pour l'instant : réessayez plus tard",
    ),
    (
        "no case reference in the remittance information",
        "aucune référence de dossier dans le libellé",
    ),
    ("the entry is already matched", "l'écriture est déjà rapprochée"),
    ("the entry is already ignored", "l'écriture est déjà écartée"),
    (
        "the entry was decided by someone else meanwhile: reload the queue",
        "quelqu'un d'autre a traité l'écriture entre-temps : rechargez la page",
    ),
    (
        "only a proposed entry is confirmed: assign it to a case",
        "seule une écriture proposée se confirme : enregistrez-la sur un dossier",
    ),
    (
        "type one case reference (REC-AAAA-NNNNNN)",
        "saisissez une référence de dossier (REC-AAAA-NNNNNN)",
    ),
    ("line {}: {}", "ligne {} : {}"),
    (
        "nothing is due on this case: there is nothing to demand",
        "rien n'est dû sur ce dossier : il n'y a rien à réclamer",
    ),
];

/// The French text of a use case's message (see the module's documentation).
pub fn french(message: &str) -> String {
    TABLE
        .iter()
        .find_map(|(english, french)| {
            let parts = captures(english, message)?;
            Some(fill(french, &parts))
        })
        .unwrap_or_else(|| message.to_string())
}

/// `text` as a sentence: a capital first letter and a full stop (the pages' field messages).
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?', ')']) {
        out.push('.');
    }
    out
}

/// The parts of `message` standing for the `{}` of `pattern`, when it has that shape.
fn captures<'m>(pattern: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let mut pieces = pattern.split("{}");
    let first = pieces.next().unwrap_or_default();
    let mut rest = message.strip_prefix(first)?;
    let mut parts = Vec::new();
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        let at = if last {
            rest.strip_suffix(piece).map(str::len)?
        } else {
            rest.find(piece)?
        };
        if at == 0 {
            return None;
        }
        parts.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    rest.is_empty().then_some(parts)
}

fn fill(template: &str, parts: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = parts.iter();
    for (i, piece) in template.split("{}").enumerate() {
        if i > 0 {
            out.push_str(&parts.next().map(|p| french_part(p)).unwrap_or_default());
        }
        out.push_str(piece);
    }
    out
}

/// An amount written `1234.56` becomes `1 234,56` (the `€` stays in the text around it); a
/// part that is itself a message of the table is translated (« …: malformed XML at line 3 »).
fn french_part(part: &str) -> String {
    let is_amount = part.split_once('.').is_some_and(|(i, f)| {
        f.len() == 2
            && !i.is_empty()
            && i.bytes().all(|b| b.is_ascii_digit())
            && f.bytes().all(|b| b.is_ascii_digit())
    });
    match part.parse::<Decimal>() {
        Ok(d) if is_amount => crate::domain::fmt::euros(d)
            .trim_end_matches(['€', '\u{a0}'])
            .to_string(),
        _ => french(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_messages_are_translated() {
        assert_eq!(french("this field is required"), "ce champ est obligatoire");
        assert_eq!(
            french("the due date is before the issue date"),
            "l'échéance précède la date d'émission"
        );
    }

    #[test]
    fn varying_parts_are_carried_over_and_amounts_shown_the_french_way() {
        assert_eq!(french("at most 200 characters"), "200 caractères au plus");
        assert_eq!(
            french("the payment exceeds what is due by 1250.00 €: at most 3480.45 € can be recorded"),
            "le paiement dépasse de 1\u{a0}250,00 € ce qui est dû : 3\u{a0}480,45 € au plus peuvent être enregistrés"
        );
        assert_eq!(
            french("« 12,3,4 » is not an amount (expected e.g. 1234.56)"),
            "« 12,3,4 » n'est pas un montant (par exemple 1 234,56)"
        );
        assert_eq!(
            french("123456789 is not a valid SIREN (checksum)"),
            "123456789 n'est pas un SIREN valide (clé de contrôle)"
        );
        assert_eq!(
            french("Dupont SARL has no signed mandate in force: collection cannot start without the creditor's written mandate (CPCE R124-3)"),
            "Dupont SARL n'a pas de mandat signé en vigueur : le recouvrement ne peut commencer sans le mandat écrit du créancier (CPCE R124-3)"
        );
    }

    #[test]
    fn rate_messages_read_entirely_in_french() {
        assert_eq!(
            french("no interest rate entered for 2025 H2: an admin must add that half-year's rates before this can be computed"),
            "aucun taux d'intérêt n'est saisi pour le 2e semestre 2025 : un administrateur doit le saisir avant ce calcul"
        );
        assert_eq!(
            french("interest stopped at 30/06/2026: the rates of 2026 H2 are not entered; an admin must enter them before a formal notice or a requête"),
            "intérêts arrêtés au 30/06/2026 : taux du 2e semestre 2026 non saisi ; un administrateur doit le saisir avant toute mise en demeure ou requête"
        );
    }

    #[test]
    fn a_longer_pattern_does_not_swallow_a_shorter_one() {
        // "« x » is not an amount" must not be read as the "(expected …)" variant, and back.
        assert_eq!(
            french("« abc » is not an amount"),
            "« abc » n'est pas un montant"
        );
        // A message that merely starts like an entry is left alone.
        assert_eq!(
            french("this field is required, really"),
            "this field is required, really"
        );
    }

    #[test]
    fn french_messages_pass_through() {
        assert_eq!(
            french("saisissez une date valide"),
            "saisissez une date valide"
        );
    }

    #[test]
    fn every_entry_carries_all_the_parts_or_none() {
        for (en, fr) in TABLE {
            let parts = fr.matches("{}").count();
            assert!(parts == 0 || parts == en.matches("{}").count(), "{en}");
        }
    }
}
