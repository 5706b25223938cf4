#!/usr/bin/env python3
"""Retypes the gateway's GraphQL `ID`s as per-kind `Id<K>` (issue 32): by the
field or argument name, and for `id` by the object or the root field. The
conversions around them are rewritten for the common shapes; the compiler
points at the rest."""
import re, sys, glob

BY_NAME = {
 'actor_id':'UserId','assignee_id':'UserId','author_id':'UserId','branch_id':'BranchId','case_id':'CaseId',
 'centre_id':'CentreId','client_id':'ClientId','client_ids':'ClientId','course_id':'CourseId','created_by':'UserId',
 'enrolment_id':'EnrolmentId','event_id':'EventId','existing_client_id':'ClientId','funding_project_id':'FundingProjectId',
 'goal_id':'GoalId','identity_verified_by':'UserId','inquiry_id':'InquiryId','interpreter_id':'InterpreterId',
 'intervention_id':'InterventionId','keep_id':'ClientId','lecturer_id':'UserId','lecturer_ids':'UserId','merge_id':'ClientId',
 'other_client_id':'ClientId','outreach_slot_id':'OutreachSlotId','project_id':'FundingProjectId','recorded_by':'UserId',
 'recorded_intervention_ids':'InterventionId','registration_id':'RegistrationId','room_id':'RoomId','session_id':'SessionId',
 'slot_id':'OutreachSlotId','staff_ids':'UserId','substitute_id':'UserId','user_id':'UserId','worker_id':'UserId',
 'before':'AuditEntryId',
}
ID_OF = {
 'AnonymisedClient':'ClientId','Appointment':'AppointmentId','AuditEntry':'AuditEntryId','Branch':'BranchId','Case':'CaseId',
 'Centre':'CentreId','Client':'ClientId','ClientSummary':'ClientId','ConsentRecord':'ConsentId','Course':'CourseId',
 'CourseSession':'SessionId','Enrolment':'EnrolmentId','Event':'EventId','EventRegistration':'RegistrationId',
 'FundingProject':'FundingProjectId','Goal':'GoalId','Inquiry':'InquiryId','Interpreter':'InterpreterId',
 'Intervention':'InterventionId','Invitation':'InvitationId','Note':'NoteId','OutgoingEmail':'EmailId',
 'OutreachSlot':'OutreachSlotId','Placement':'PlacementId','ResidenceRecord':'ResidenceId','Room':'RoomId','Task':'TaskId',
 'Viewer':'UserId',
 # root fields taking `id`
 'update_branch':'BranchId','revoke_invitation':'InvitationId','retry_email':'EmailId','update_client':'ClientId',
 'update_case':'CaseId','update_interpreter':'InterpreterId','move_appointment':'AppointmentId','cancel_appointment':'AppointmentId',
 'set_task_done':'TaskId','update_event':'EventId','cancel_event':'EventId','move_course_session':'SessionId',
 'cancel_course_session':'SessionId','set_session_substitute':'SessionId','withdraw_enrolment':'EnrolmentId','branch':'BranchId',
 'client':'ClientId','case':'CaseId','intervention':'InterventionId','event':'EventId','course':'CourseId','course_session':'SessionId',
}
unresolved = []
for path in sys.argv[1:]:
    text = open(path).read()
    lines = text.split('\n')
    owner = None  # current struct or impl
    cur_fn = None  # current function (a root field taking `id`)
    out = []
    for n, l in enumerate(lines):
        m = re.match(r'\s*(?:pub(?:\([^)]*\))? )?struct (\w+)', l) or re.match(r'impl (\w+) \{', l)
        if m:
            owner = m.group(1)
            cur_fn = None  # a struct's `id` is the struct's, not the last function's
        m = re.match(r'\s*(?:pub(?:\([^)]*\))? )?(?:async )?fn (\w+)', l)
        if m:
            cur_fn = m.group(1)
        # field or argument `name: ID`, `name: Option<ID>`, `name: Vec<ID>`, `name: Option<Vec<ID>>`
        def sub(m):
            name = m.group(1)
            if name == 'id':
                k = ID_OF.get(cur_fn) or ID_OF.get(owner)
            else:
                k = BY_NAME.get(name)
            if not k:
                unresolved.append(f'{path}:{n+1}: {name} ({owner}/{cur_fn})')
                return m.group(0)
            return m.group(0)[:-2] + f'Id<{k}>'
        l2 = re.sub(r'\b([a-z_]+): (?:&)?(?:Option<|Vec<|Option<Vec<|\[)*ID\b(?!\()', sub, l)
        # `async fn id(&self) -> ID`
        if re.match(r'\s+async fn id\(&self\) -> ID\b', l2):
            k = ID_OF.get(owner)
            if k: l2 = l2.replace('-> ID', f'-> Id<{k}>')
        out.append(l2)
    text = '\n'.join(out)
    # conversions
    text = re.sub(r'uuid_(?:arg|of)\("\w+", &(\w+)\)\?', r'\1.uuid()', text)
    text = re.sub(r'parse_id(?:::<[\w:]+>)?\("\w+", &(\w+)\)\.gql\(\)\?', r'\1.get().into()', text)
    text = re.sub(r'opt_uuid\("\w+", &([\w.]+)\)\?', r'\1.map(Id::uuid)', text)
    text = re.sub(r'\bopt(?:::<[\w:]+>)?\("\w+", ([\w.]+)\.as_ref\(\)\)\?', r'\1.map(|v| v.get().into())', text)
    text = re.sub(r'\busers\("\w+", &([\w.]+)\)\?', r'\1.iter().map(|v| v.get()).collect::<Vec<_>>()', text)
    text = re.sub(r'\bID\(([\w.]+)\.to_string\(\)\)', r'Id::from(\1)', text)
    text = re.sub(r'\bid_of\(', 'Id::from(', text)
    if 'Id<' in text or 'Id::' in text:
        if 'use crate::graphql::ids::' not in text and not path.endswith('ids.rs'):
            m = re.search(r'^use [^\n]*;\n', text, re.M)
            text = text[:m.start()] + 'use crate::graphql::ids::Id;\n' + text[m.start():]
    open(path, 'w').write(text)
print('\n'.join(unresolved))
