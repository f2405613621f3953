# Kopa interface, English. Every key here also exists in lv.ftl.

## Frame
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Overview
nav-meetings = Meetings
nav-ideas = Ideas
nav-initiatives = Initiatives
nav-group = Local action group
nav-stakeholders = Stakeholder map
nav-accounts = Accounts
nav-audit = Audit log
switch-language = Latviski
sign-in = Sign in
sign-out = Sign out
sign-in-hint = New members receive an invitation link from their coordinator.
footer-about = Kopa — municipalities and businesses planning green mobility together.
back-home = Back to the front page
save = Save
remove = Remove
actions = Actions
example-marker = example
form-has-errors = Please correct the following:
pagination = Pages
page-previous = Previous page
page-next = Next page
lead-partner = Lead partner

## Network and workspace
network-title = Partner cities
network-intro = Each partner city works in its own workspace: its local action group, meetings and decisions.
home-upcoming = Upcoming meetings
home-no-upcoming = No meetings are planned.
home-decisions = Decisions
home-no-decisions = No decisions have been recorded yet.
home-recent = Recent meetings

## Months
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Countries
country-IT = Italy
country-SK = Slovakia
country-BG = Bulgaria
country-ES = Spain
country-FR = France
country-HR = Croatia
country-HU = Hungary
country-LV = Latvia
country-PT = Portugal

## Group
group-intro = The permanent local action group reviews the key questions, generates ideas and coordinates activities.
group-bodies = Bodies of the group
group-organisations = Organisations
body-management_group = Project management group
body-core = Core of the group
body-wider = Wider group
body-empty = Nobody yet.
organisations-none = No organisations yet.
organisation-add = Add an organisation
organisation-name = Organisation
organisation-sector = Sector
organisation-registration = Registration number
organisation-website = Website
sector-public = Public
sector-business = Business
sector-civic = Civic
sector-knowledge = Knowledge
sector-resident = Residents
person-add = Add a person
person-name = Name
person-email = E-mail
person-organisation = Organisation
person-position = Position
person-body = Body of the group
person-no-body = (not in a body)
person-no-organisation = (none)
membership-role = Role in the group
membership-since = Member since
membership-status = Status
membership-current = current
membership-add = Add a membership
membership-end = End membership
membership-until = Member until
membership-past = past

## Stakeholders
stakeholders-intro = How much influence each organisation has over the plan, and how interested it is — and so how the group engages it.
stakeholders-matrix = Power/interest matrix
stakeholders-matrix-desc = A five by five grid. Interest grows to the right, power grows upwards. Each numbered circle is an organisation listed in the table below.
stakeholders-caption = Numbers refer to the table. The hatched quadrant is high power and high interest.
stakeholders-table = Assessed stakeholders
stakeholder-assess = Assess a stakeholder
stakeholder-power = Power (1–5)
stakeholder-interest = Interest (1–5)
stakeholder-strategy = Engagement strategy
stakeholder-note = Note
strategy-manage_closely = Manage closely
strategy-keep_satisfied = Keep satisfied
strategy-keep_informed = Keep informed
strategy-monitor = Monitor
strategy-suggested = (suggested by the quadrant)

## Meetings
meetings-upcoming = Upcoming
meetings-past = Past
meetings-none = No meetings.
calendar-feed = Calendar feed (iCal)
calendar-file = Add to calendar (iCal)
meeting-new = New meeting
meeting-edit = Edit meeting
meeting-title = Title
meeting-when = When
meeting-starts = Starts
meeting-ends = Ends
meeting-kind = Kind
meeting-mode = Mode
meeting-link = Online link
meeting-place = Place
meeting-capacity = Capacity
meeting-capacity-hint = Leave capacity empty for no limit. Registrations beyond it go to a waiting list.
meeting-registration-open = Registration is open
meeting-published = Published: anyone can see this meeting
meeting-decisions = Decisions
meeting-registered = Registered
meeting-waiting-short = waiting
meeting-internal = internal
meeting-visibility = Visibility
meeting-kind-group = Group meeting
meeting-kind-transnational = Transnational meeting
meeting-kind-public_discussion = Public discussion
meeting-mode-online = Online
meeting-mode-in_person = In person
meeting-mode-hybrid = Hybrid
speakers = Speakers
speakers-none = No speakers listed.
speaker-add = Add a speaker
speaker-name = Name
speaker-affiliation = Affiliation
speaker-topic = Topic
agenda = Agenda
agenda-none = The agenda is empty.
agenda-add = Add an agenda item
agenda-item-title = Item
agenda-parent = Under
agenda-top-level = (top level)
agenda-presenter = Presenter
agenda-duration = Duration in minutes
minutes-count = { $count } min
decisions = Decisions
decisions-none = No decisions recorded.
decision-add = Record a decision
decision-text = Decision
votes = Votes
votes-for = For
votes-against = Against
votes-abstain = Abstained
outcome-adopted = Adopted
outcome-rejected = Rejected
outcome-unanimous = unanimously
minutes = Minutes
minutes-none = No minutes yet.
minutes-edit = Write the minutes
registration = Registration
registration-count = { $count ->
    [0] Nobody has registered yet.
    [one] One person registered.
   *[other] { $count } people registered.
}
registration-waiting-count = { $count } on the waiting list.
registration-seats-left = Seats left: { $count }.
registration-name = Name
registration-email = E-mail
registration-submit = Register
registration-closed = Registration is closed.
registration-confirmed = You are registered.
registration-waiting = The meeting is full: you are on the waiting list and will get a seat if one frees up.
registration-status = Status
registration-status-confirmed = Confirmed
registration-status-waiting = Waiting list
registration-cancel = Cancel registration
registrations = Registrations
attendance = Attendance
attended-yes = attended
attended-no = not marked
attended-mark = Mark as attended
attended-undo = Undo

## Accounts
account-name = Name
account-email = E-mail
account-password = Password
account-role = Role
accounts-list = Accounts in this workspace
role-admin = Administrator
role-auditor = Auditor (reads audit packs only)
role-coordinator = Coordinator
role-member = Group member
role-partner = Business partner
role-public = Resident
invitations = Invitations
invitations-none = No invitations yet.
invitation-new = Invite someone
invitation-send = Create invitation
invitation-sent = Sent
invitation-status = Status
invitation-open = open
invitation-accepted = accepted
invitation-created = Invitation created.
invitation-pass-on = No mail server is configured, so send this one-time link yourself. It is also written to the server log.
invitation-link = Invitation link
invitation-title = Invitation
invitation-heading = Join { $workspace } in Kopa
invitation-for = Invitation for { $email }
invitation-accept = Create my account

## Audit
audit-intro = Every change, who made it and when, with the record before and after. Each entry is chained to the one before it by a hash, so a change to the stored log shows up.
audit-verify = Check the whole chain
audit-intact = The chain is intact.
audit-broken = The chain is broken:
audit-checked = { $count } events checked.
audit-when = When
audit-who = Who
audit-action = Action
audit-what = Record
audit-details = Details
audit-show = Show
audit-before = Before
audit-after = After
audit-hash = Hash
audit-action-create = created
audit-action-update = changed
audit-action-delete = deleted

## Errors
error-title-not-found = Not found
error-title-forbidden = Not allowed
error-title-bad-request = The request could not be handled
error-title-internal = Something went wrong
error-not-found = There is no such page or record.
error-forbidden = Your role in this workspace does not allow this.
error-sign-in-required = Please sign in first.
error-sign-in-failed = The e-mail or password is not right.
error-too-many-attempts = Too many failed sign-in attempts. Please wait 15 minutes and try again.
error-csrf = The form expired or came from another site. Reload the page and try again.
error-too-large = The request is too large.
error-not-utf8 = The submitted text is not valid UTF-8.
error-bad-form = The form could not be read.
error-bad-request = The request could not be read.
error-media-type = Send the request body as application/json.
error-method = This address does not accept that method.
error-internal = The server failed to handle this. Nothing was changed; please try again.
error-invalid = Some fields are not valid.
error-required = This field is required.
error-too-long = This is too long.
error-email = Enter an e-mail address like name@example.lv.
error-email-taken = An account with this e-mail already exists.
error-number = Enter a whole number.
error-out-of-range = This number is outside the allowed range.
error-choice = Choose one of the options.
error-date = Enter a date as YYYY-MM-DD.
error-datetime = Enter a date and time.
error-ends-before-start = The end must be after the start.
error-url = Enter a full web address starting with https://.
error-link-needed = An online or hybrid meeting needs a link.
error-place-needed = An in-person or hybrid meeting needs a place.
error-no-votes = Record at least one vote.
error-already-registered = This e-mail is already registered for this meeting.
error-registration-closed = Registration for this meeting is closed.
error-name-taken = An organisation with this name already exists.
error-unknown = This record does not exist in this workspace.
error-password = The password could not be stored.
error-password-short = Use at least 10 characters.
error-invitation-invalid = This invitation link is not valid: it was used already or has expired.
error-account-exists = An account with this e-mail exists already: sign in, and ask your coordinator to give it this role.
error-until-before-from = A membership cannot end before it began.

ideas-intro = Propose an idea for the municipality, support the ones you want to see happen, and discuss them.
ideas-list = Ideas
ideas-none = No ideas yet.
ideas-back = All ideas
idea-propose = Propose an idea
idea-title = Title
idea-body = What is the idea?
idea-place = Place
idea-place-hint = Optional. Type the latitude and longitude (e.g. 56.8260, 24.2310) or a street name, or mark the place on the map: a point, a line or an area.
idea-draw = What to draw on the map
idea-draw-point = Point
idea-draw-line = Line
idea-draw-area = Area
idea-draw-clear = Clear
idea-submit = Propose the idea
idea-anonymous = A visitor
idea-by = by { $name }
idea-supporters = { $count ->
    [one] { $count } supporter
   *[other] { $count } supporters
}
idea-comment-count = { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}
idea-on-map = on the map
idea-answered = answered
idea-hidden = Hidden idea
idea-hidden-reason = Hidden by the moderators because
idea-merged-into = This idea was merged into another one: see it there.
idea-answer = The municipality's answer
idea-support = Support this idea
idea-withdraw = Take my support back
idea-you-support = You support this idea.
idea-sign-in-to-take-part = Sign in to propose, support and discuss ideas.
idea-no-comments = No comments yet.
idea-in-reply = in reply
idea-comment = Your comment
idea-reply-to = In reply to
idea-reply-to-none = The idea itself
idea-comment-submit = Add the comment
idea-moderation = Moderation
idea-status-open = open
idea-status-hidden = hidden
idea-status-merged = merged
moderation-action = What to do
moderation-answer = Answer officially
moderation-hide = Hide, with a public reason
moderation-restore = Show again
moderation-merge = Merge into another idea
moderation-answer-text = Official answer
moderation-reason = Reason, shown to everyone
moderation-into = The idea to merge into
moderation-submit = Carry it out
error-place-format = Type the place as latitude, longitude, e.g. 56.8260, 24.2310.
error-place-range = Latitude must be between -90 and 90, longitude between -180 and 180.
error-place-too-few = A line needs two points and an area three.
error-place-too-many = The drawing has too many points; simplify it.
error-idea-closed = This idea is hidden or merged, so it takes no more support or comments.
error-idea-not-hidden = Only a hidden idea can be shown again.
error-transition = An initiative moves one step forward, or one step back.

initiatives-intro = What the local action group decided to do, and where each stands.
initiatives-none = No initiatives yet.
initiatives-from-ideas = Initiatives grow from ideas: open an idea to turn it into one.
initiatives-back = All initiatives
initiative-title = Initiative
initiative-type = Cooperation type
initiative-status = Status
initiative-progress = Progress
initiative-status-idea = idea
initiative-status-assessed = assessed
initiative-status-agreed = agreed by the group
initiative-status-in_plan = in the plan
initiative-status-approved = approved
initiative-status-delivered = delivered
initiative-status-monitored = monitored
initiative-part-of = Part of
initiative-timeline = What happened
initiative-move-to = Next step
initiative-reason = Why
initiative-step-decision = The decision this step follows
initiative-no-decision = No decision
initiative-links = Where it was discussed and who takes part
initiative-no-links = Not yet linked to meetings, decisions or organisations.
initiative-meetings = Meetings
initiative-decisions = Decisions
initiative-organisations = Organisations involved
initiative-link-to = Link to
initiative-link = Link
initiative-link-meeting = Meeting
initiative-link-decision = Decision
initiative-link-organisation = Organisation
initiative-new = New initiative
initiative-description = Description
initiative-parent = Part of
initiative-no-parent = Not part of another initiative
initiative-weight = Weight in the parent's progress
initiative-create = Create the initiative
initiative-edit = Edit the initiative
initiative-save = Save
initiative-progress-hint = Progress from 0 to 100. When the initiative has milestones, the share of them done sets it.
initiative-milestones = Milestones
initiative-no-milestones = No milestones yet.
milestone-title = Milestone
milestone-due-on = Due (optional)
milestone-add = Add the milestone
milestone-done = done
milestone-to-do = to do
milestone-due = due
milestone-mark-done = Mark as done
milestone-undo = Mark as not done
error-parent-loop = An initiative cannot be part of itself or of one of its parts.
initiative-move = Record the step
initiative-parts = Its parts
initiative-ideas = The ideas it grew from
initiative-no-ideas = It did not grow from an idea on this site.
initiative-from-idea-reason = Made from a proposed idea.
idea-to-initiative = Turn into an initiative
idea-to-initiative-submit = Make the initiative
cooperation-types = Cooperation types
cooperation-type-name = Name of a new cooperation type
cooperation-type-add = Add the cooperation type
cooperation-crossing_with_owners = Pedestrian crossings built with property owners
cooperation-mobility_point = Mobility points and park&ride
cooperation-information_campaign = Information campaigns
cooperation-recreation_place = Municipal land kept as public recreation places by businesses

# Map and search
nav-map = Map
map-intro = Ideas and initiatives on the map. Search by words (diacritics optional), and choose the kind, the cooperation type and the status. The list beside the map holds what the map shows.
map-filters = Search and filters
map-search = Search
map-show = Show
map-show-all = Ideas and initiatives
map-show-ideas = Ideas only
map-show-initiatives = Initiatives only
map-type = Cooperation type
map-any-type = Any type
map-status = Status
map-any-status = Any status
map-bbox = Area shown (west, south, east, north)
map-apply = Search
map-title = Map of the municipality with ideas and initiatives
map-description = The municipality's boundary and streets; circles are ideas, squares are initiatives, larger circles with a number are several places together. The list beside the map holds the same.
map-legend = Legend
map-legend-cluster = Several places together (the number says how many)
map-kind-idea = Idea
map-kind-initiative = Initiative
map-cluster = { $count ->
    [one] { $count } place here; zoom in
   *[other] { $count } places here; zoom in
}
map-cluster-short = Places here
map-controls = Map controls
map-zoom-in = Zoom in
map-zoom-out = Zoom out
map-north = North
map-south = South
map-east = East
map-west = West
map-whole = Whole municipality
map-no-backdrop = This municipality has no base map yet. An administrator can import it from OpenStreetMap; until then, the list shows everything.
map-list = List
map-count-ideas = { $count ->
    [one] { $count } idea
   *[other] { $count } ideas
}
map-count-initiatives = { $count ->
    [one] { $count } initiative
   *[other] { $count } initiatives
}
map-count-elsewhere = ({ $count } more outside the area shown or without a place)
map-nothing = Nothing matches the search.
map-no-place = no place on the map
map-page = Page
map-pages = Pages
map-previous = Previous page
map-next = Next page
map-show-around = See the surroundings on the main map
open-data = Open data
open-data-ideas = All public ideas
open-data-initiatives = All initiatives
open-data-hint = Without authors' names and without hidden ideas.
map-data = What the map shows, as GeoJSON (with these filters)
error-bbox = Write the area as four numbers: west, south, east, north.
error-page = The page number must be a whole number from 1.
error-place-outside = The place lies outside the municipality. Choose a place within its boundary.

# Signing up as a resident
signup-title = Sign up as a resident
signup-intro = Create an account to propose ideas, support them and comment. You get the resident role in this municipality.
signup-name = Name others will see
signup-name-hint = This name is shown with your ideas and comments. Your e-mail is never shown to others.
signup-consent = I agree that my name is shown with what I write, and that the municipality processes my e-mail so that I can sign in and receive notifications.
signup-trap = Leave this field empty
signup-submit = Create the account
signup-have-account = Have an account already?
signup-join-intro = You are signed in, but have no role in this municipality yet. Join as a resident to propose and support ideas.
signup-join = Join as a resident
idea-or-sign-up = Or create a resident account
error-consent = Your consent is needed to create the account.
error-looks-automated = The form looks filled in automatically, so it was not saved.
error-slow-down = Too many in a short time. Your text is kept in the form; try again in a little while.
idea-photos = Photos
idea-photo-alt = Photo { $number } of the idea
idea-photo-files = Photos (up to 3)
idea-photo-hint = JPEG, PNG or WebP, each up to 5 MB. They are kept smaller and without metadata (such as where they were taken).
idea-photo-description = What the photos show (for those who cannot see them)
idea-photo-add = Add the photos
error-photo-empty = Choose a photo.
error-photo-too-large = The photo is larger than 5 MB. Make it smaller and try again.
error-photo-type = Only JPEG, PNG or WebP photos will do.
error-photo-unreadable = The photo cannot be read: the file is damaged or incomplete.
error-photo-count = An idea may have at most 3 photos.
error-photo-upload = The upload broke off. Try again.

# Following and notifications
nav-notifications = Notifications
nav-notifications-count = { $count ->
    [0] Notifications
   *[other] Notifications ({ $count } new)
}
nav-outbox = Outbox
follow-start = Follow
follow-stop = Stop following
follow-following = You follow this: you will be notified of news.
notifications-intro = News about the ideas and initiatives you follow. You follow your own ideas and those you support or comment on.
notifications-none = No notifications yet.
notifications-new = new
notifications-mark-read = Mark all as read
notifications-email = E-mail
notifications-email-choice = Send e-mail
notifications-save = Save
email-mode-each = for each piece of news
email-mode-daily = one digest a day
email-mode-never = never
notify-comment = New comment: { $title }
notify-answer = The municipality answered or decided: { $title }
notify-hidden = Idea hidden: { $title }
notify-merged = Idea merged with another: { $title }
notify-became_initiative = The idea became an initiative: { $title }
notify-step = The initiative took its next step: { $title }
notify-milestone = A milestone was reached: { $title }
notify-greeting = Hello, { $name }!
notify-footer = Change your notifications and e-mail here: { $link }
notify-digest-subject = { $count ->
    [one] { $count } piece of news: { $workspace }
   *[other] { $count } pieces of news: { $workspace }
}
outbox-intro = Every mail sent about this municipality. With no mail server set, this is the only place it is.
outbox-none = No mail yet.
outbox-sent = sent
outbox-waiting = waiting for the mail server
outbox-not-sent = not sent (no mail server set)
