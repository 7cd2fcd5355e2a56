package httpapi

// routes is the route table: every Glacier operation, its method and path
// pattern, and its handler.
func (s *Server) routes() []route {
	const v = "/{account}/vaults/{vault}"
	return []route{
		{pattern: "GET /{account}/vaults", op: "ListVaults", h: s.listVaults},
		{pattern: "PUT " + v, op: "CreateVault", h: s.createVault},
		{pattern: "GET " + v, op: "DescribeVault", h: s.describeVault},
		{pattern: "DELETE " + v, op: "DeleteVault", h: s.deleteVault},

		{pattern: "POST " + v + "/archives", op: "UploadArchive", h: s.uploadArchive, streaming: true},
		{pattern: "DELETE " + v + "/archives/{archive}", op: "DeleteArchive", h: s.deleteArchive},

		{pattern: "POST " + v + "/multipart-uploads", op: "InitiateMultipartUpload", h: s.initiateMultipartUpload},
		{pattern: "GET " + v + "/multipart-uploads", op: "ListMultipartUploads", h: s.listMultipartUploads},
		{pattern: "PUT " + v + "/multipart-uploads/{upload}", op: "UploadMultipartPart", h: s.uploadMultipartPart, streaming: true},
		{pattern: "POST " + v + "/multipart-uploads/{upload}", op: "CompleteMultipartUpload", h: s.completeMultipartUpload},
		{pattern: "DELETE " + v + "/multipart-uploads/{upload}", op: "AbortMultipartUpload", h: s.abortMultipartUpload},
		{pattern: "GET " + v + "/multipart-uploads/{upload}", op: "ListParts", h: s.listParts},

		{pattern: "POST " + v + "/jobs", op: "InitiateJob", h: s.initiateJob},
		{pattern: "GET " + v + "/jobs", op: "ListJobs", h: s.listJobs},
		{pattern: "GET " + v + "/jobs/{job}", op: "DescribeJob", h: s.describeJob},
		{pattern: "GET " + v + "/jobs/{job}/output", op: "GetJobOutput", h: s.getJobOutput},

		{pattern: "GET /{account}/policies/data-retrieval", op: "GetDataRetrievalPolicy", h: s.getDataRetrievalPolicy},
		{pattern: "PUT /{account}/policies/data-retrieval", op: "SetDataRetrievalPolicy", h: s.setDataRetrievalPolicy},
		{pattern: "POST /{account}/provisioned-capacity", op: "PurchaseProvisionedCapacity", h: s.purchaseProvisionedCapacity},
		{pattern: "GET /{account}/provisioned-capacity", op: "ListProvisionedCapacity", h: s.listProvisionedCapacity},

		{pattern: "POST " + v + "/tags", op: "AddTagsToVault", opFor: tagsOp, h: s.changeTags, limit: tagsBody}, // ?operation=add|remove
		{pattern: "GET " + v + "/tags", op: "ListTagsForVault", h: s.listTags},
		{pattern: "PUT " + v + "/access-policy", op: "SetVaultAccessPolicy", h: s.setAccessPolicy, limit: policyBody},
		{pattern: "GET " + v + "/access-policy", op: "GetVaultAccessPolicy", h: s.getAccessPolicy},
		{pattern: "DELETE " + v + "/access-policy", op: "DeleteVaultAccessPolicy", h: s.deleteAccessPolicy},
		{pattern: "POST " + v + "/lock-policy", op: "InitiateVaultLock", h: s.initiateVaultLock, limit: policyBody},
		{pattern: "GET " + v + "/lock-policy", op: "GetVaultLock", h: s.getVaultLock},
		{pattern: "DELETE " + v + "/lock-policy", op: "AbortVaultLock", h: s.abortVaultLock},
		{pattern: "POST " + v + "/lock-policy/{lock}", op: "CompleteVaultLock", h: s.completeVaultLock},
		{pattern: "PUT " + v + "/notification-configuration", op: "SetVaultNotifications", h: s.setNotifications},
		{pattern: "GET " + v + "/notification-configuration", op: "GetVaultNotifications", h: s.getNotifications},
		{pattern: "DELETE " + v + "/notification-configuration", op: "DeleteVaultNotifications", h: s.deleteNotifications},
	}
}
