# A small web app on Google Cloud with deliberate mistakes; gcp-app-fixed
# is its corrected twin.

variable "region" {
  default = "europe-west1"
}

resource "google_compute_network" "main" {
  name                    = "vpc-app"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "app" {
  name          = "snet-app"
  network       = google_compute_network.main.id
  ip_cidr_range = "10.0.1.0/24"
  region        = var.region
}

# SSH from anywhere.
resource "google_compute_firewall" "ssh" {
  name          = "allow-ssh"
  network       = google_compute_network.main.name
  direction     = "INGRESS"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_instance" "bastion" {
  name         = "bastion"
  machine_type = "e2-small"
  metadata = {
    enable-oslogin = "FALSE"
  }
  network_interface {
    subnetwork = google_compute_subnetwork.app.id
    access_config {}
  }
}

resource "google_storage_bucket" "assets" {
  name                        = "app-assets"
  location                    = "EU"
  uniform_bucket_level_access = false
}

# Anyone may read the bucket.
resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = "projects/p/locations/europe/keyRings/app"
}
