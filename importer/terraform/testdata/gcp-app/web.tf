# Cloud Run open to all traffic and invocable by anyone.
resource "google_cloud_run_v2_service" "web" {
  name     = "web"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"
  template {
    containers {
      image = "europe-docker.pkg.dev/p/app/web:1"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  name   = google_cloud_run_v2_service.web.name
  role   = "roles/run.invoker"
  member = "allUsers"
}

resource "google_project_iam_member" "ci" {
  project = "p"
  role    = "roles/editor"
  member  = "serviceAccount:ci@p.iam.gserviceaccount.com"
}
