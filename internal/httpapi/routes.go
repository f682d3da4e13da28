package httpapi

import "github.com/clientela/clientela/internal/domain"

// routes is the API's route table; each route names the permission it needs, so the whole
// authorization matrix reads in one screen. The use cases check the same permissions again.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/me", "", s.me},
		{"GET /api/v1/openapi.json", "", s.openAPI},

		{"GET /api/v1/customers", domain.PermCustomersRead, s.listCustomers},
		{"POST /api/v1/customers", domain.PermCustomersCreate, s.createCustomer},
		{"GET /api/v1/customers/by-reference/{reference}", domain.PermCustomersRead, s.customerByReference},
		{"GET /api/v1/customers/{id}", domain.PermCustomersRead, s.getCustomer},
		{"PATCH /api/v1/customers/{id}", domain.PermCustomersUpdate, s.updateCustomer},
		{"DELETE /api/v1/customers/{id}", domain.PermCustomersDelete, s.deleteCustomer},

		{"GET /api/v1/groups", domain.PermGroupsRead, s.listGroups},
		{"POST /api/v1/groups", domain.PermGroupsWrite, s.createGroup},
		{"GET /api/v1/groups/{id}", domain.PermGroupsRead, s.getGroup},
		{"PATCH /api/v1/groups/{id}", domain.PermGroupsWrite, s.updateGroup},
		{"DELETE /api/v1/groups/{id}", domain.PermGroupsWrite, s.deleteGroup},
		{"POST /api/v1/groups/{id}/move-members", domain.PermGroupsWrite, s.moveGroupMembers},

		{"GET /api/v1/audit", domain.PermAuditRead, s.auditLog},
	}
}
